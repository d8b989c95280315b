// A phrase dictionary matched word-order-free within a sentence: an entry (a set of terms → a code) hits when every
// one of its terms occurs in one sentence, close enough together; the hit's evidence is the exact range from its
// first to its last word. A hit whose words all lie inside a longer hit of the same sentence is marked subsumed.
// A word may also stand for class terms (a morphology word for its behaviour in the Table of Neoplasms): they are
// matched at the word's own position and range.
import type { Span } from '../text/span';
import type { NoteTerm } from './terms';

export type EntrySource = 'evidence' | 'index' | 'title';

export interface DictionaryEntry {
  /** Sorted, distinct terms. */
  readonly terms: readonly string[];
  readonly code: string;
  readonly source: EntrySource;
  /** What the entry was made from, for the explanation: the Index path or title (evidence entries: absent). */
  readonly label?: string;
  /** Training documents where the entry hit (affirmed), and how many of them had its code in their gold. */
  readonly n: number;
  readonly tp: number;
}

export interface Hit extends Span {
  readonly entry: number;
  readonly sentence: number;
  /** Words between the first and the last matched one, matched ones included. */
  readonly width: number;
  subsumed: boolean;
}

export interface Dictionary {
  readonly entries: readonly DictionaryEntry[];
  match(terms: readonly NoteTerm[]): Hit[];
}

/** How far apart an entry's words may be: a few words more than the entry has. */
const maxWidth = (size: number): number => size * 2 + 3;

export function entryPrecision(entry: Pick<DictionaryEntry, 'n' | 'tp'>): number {
  return (entry.tp + 1) / (entry.n + 2);
}

function keyTermOf(terms: readonly string[], frequency: ReadonlyMap<string, number>): string {
  let best = terms[0]!;
  for (const t of terms) if ((frequency.get(t) ?? 0) < (frequency.get(best) ?? 0)) best = t;
  return best;
}

interface Placed {
  readonly start: number;
  readonly end: number;
  readonly position: number;
}

/** Each entry term's occurrence nearest to the anchor, or undefined when a term is missing. */
function place(terms: readonly string[], bySentence: ReadonlyMap<string, readonly Placed[]>, anchor: Placed): Placed[] | undefined {
  const chosen: Placed[] = [];
  for (const term of terms) {
    const options = bySentence.get(term);
    if (!options) return undefined;
    let best = options[0]!;
    for (const o of options) if (Math.abs(o.position - anchor.position) < Math.abs(best.position - anchor.position)) best = o;
    chosen.push(best);
  }
  return chosen;
}

function markSubsumed(hits: Hit[], positions: readonly ReadonlySet<number>[]): void {
  for (let i = 0; i < hits.length; i++) {
    for (let j = 0; j < hits.length && !hits[i]!.subsumed; j++) {
      if (i === j || hits[j]!.sentence !== hits[i]!.sentence || positions[j]!.size <= positions[i]!.size) continue;
      if ([...positions[i]!].every((p) => positions[j]!.has(p))) hits[i]!.subsumed = true;
    }
  }
}

/** Stem → the class terms a note word with that stem also stands for. */
export type TermClasses = ReadonlyMap<string, readonly string[]>;

/** The note's terms plus, at the same place, the class terms their stems stand for. */
function withClasses(terms: readonly NoteTerm[], classes: TermClasses): readonly NoteTerm[] {
  if (!classes.size) return terms;
  return terms.flatMap((t) => [t, ...(classes.get(t.term) ?? []).map((term) => ({ ...t, term }))]);
}

export function buildDictionary(entries: readonly DictionaryEntry[], classes: TermClasses = new Map()): Dictionary {
  const frequency = new Map<string, number>();
  for (const e of entries) for (const t of e.terms) frequency.set(t, (frequency.get(t) ?? 0) + 1);
  const byKey = new Map<string, number[]>();
  entries.forEach((e, i) => {
    if (!e.terms.length) return;
    const key = keyTermOf(e.terms, frequency);
    const list = byKey.get(key) ?? [];
    list.push(i);
    byKey.set(key, list);
  });
  const matchSentence = (terms: readonly NoteTerm[], out: Hit[]) => {
    const bySentence = new Map<string, Placed[]>();
    for (const t of terms) {
      const list = bySentence.get(t.term) ?? [];
      list.push(t);
      bySentence.set(t.term, list);
    }
    const hits: Hit[] = [];
    const positions: Set<number>[] = [];
    const seen = new Set<string>();
    for (const [term, occurrences] of bySentence) {
      for (const index of byKey.get(term) ?? []) {
        const entry = entries[index]!;
        for (const anchor of occurrences) {
          const placed = place(entry.terms, bySentence, anchor);
          if (!placed) break;
          const lo = Math.min(...placed.map((p) => p.position));
          const hi = Math.max(...placed.map((p) => p.position));
          if (hi - lo + 1 > maxWidth(entry.terms.length)) continue;
          const start = Math.min(...placed.map((p) => p.start));
          const end = Math.max(...placed.map((p) => p.end));
          const key = `${index}|${start}|${end}`;
          if (seen.has(key)) continue;
          seen.add(key);
          hits.push({ entry: index, start, end, sentence: terms[0]!.sentence, width: hi - lo + 1, subsumed: false });
          positions.push(new Set(placed.map((p) => p.position)));
        }
      }
    }
    markSubsumed(hits, positions);
    out.push(...hits);
  };
  return {
    entries,
    match(noteTerms) {
      const terms = withClasses(noteTerms, classes);
      const out: Hit[] = [];
      let from = 0;
      for (let i = 1; i <= terms.length; i++) {
        if (i === terms.length || terms[i]!.sentence !== terms[from]!.sentence) {
          matchSentence(terms.slice(from, i), out);
          from = i;
        }
      }
      return out;
    },
  };
}
