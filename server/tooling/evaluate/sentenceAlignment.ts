// Sentence alignment between a text and its translation by sentence lengths (Gale & Church 1993, simplified): a
// dynamic programme over 1-1, 1-2, 2-1, 1-0 and 0-1 beads whose cost is the squared difference of the two sides'
// length shares (each side's lengths relative to its own total, so the translation's overall expansion cancels),
// with a fixed penalty for every bead that is not 1-1. CodiEsp's English is one translated sentence per line, so
// this carries the Spanish evidence spans of CodiEsp-X over to English lines.
export interface Bead {
  readonly source: readonly number[];
  readonly target: readonly number[];
}

const MOVES: readonly (readonly [number, number, number])[] = [
  [1, 1, 0],
  [1, 2, 0.002],
  [2, 1, 0.002],
  [1, 0, 0.004],
  [0, 1, 0.004],
];

export function alignByLength(sourceLengths: readonly number[], targetLengths: readonly number[]): Bead[] {
  const n = sourceLengths.length;
  const m = targetLengths.length;
  const share = (lengths: readonly number[]) => {
    const total = lengths.reduce((a, b) => a + b, 0) || 1;
    return lengths.map((l) => l / total);
  };
  const s = share(sourceLengths);
  const t = share(targetLengths);
  const sum = (xs: number[], from: number, count: number) => xs.slice(from, from + count).reduce((a, b) => a + b, 0);
  const cost: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(Infinity));
  const move: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(-1));
  cost[0]![0] = 0;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      const here = cost[i]![j]!;
      if (here === Infinity) continue;
      for (const [k, [di, dj, penalty]] of MOVES.entries()) {
        if (i + di > n || j + dj > m) continue;
        const d = sum(s, i, di) - sum(t, j, dj);
        const next = here + d * d * 100 + penalty;
        if (next < cost[i + di]![j + dj]!) {
          cost[i + di]![j + dj] = next;
          move[i + di]![j + dj] = k;
        }
      }
    }
  }
  const beads: Bead[] = [];
  for (let i = n, j = m; i > 0 || j > 0; ) {
    const [di, dj] = MOVES[move[i]![j]!]!;
    beads.push({ source: range(i - di, di), target: range(j - dj, dj) });
    i -= di;
    j -= dj;
  }
  return beads.reverse();
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, k) => from + k);

export interface SentenceSpan {
  readonly start: number;
  readonly end: number;
}

/** Sentences of running text: cut after . ! ? before a capital, digit or opening punctuation, and at line breaks. */
export function sentenceSpans(text: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  const boundary = /(?<=[.!?])\s+(?=[\p{Lu}\d¿¡(])|\n+/gu;
  let start = 0;
  const push = (end: number) => {
    const piece = text.slice(start, end);
    if (piece.trim()) spans.push({ start: start + piece.length - piece.trimStart().length, end: start + piece.trimEnd().length });
  };
  for (const match of text.matchAll(boundary)) {
    push(match.index);
    start = match.index + match[0].length;
  }
  push(text.length);
  return spans;
}

/** Lines of a one-sentence-per-line text, as spans (blank lines skipped). */
export function lineSpans(text: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    if (line.trim()) spans.push({ start, end: start + line.length });
    start += line.length + 1;
  }
  return spans;
}
