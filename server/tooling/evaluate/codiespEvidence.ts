// CodiEsp-X evidence spans index the Spanish original; the English translation has one sentence per line. The
// Spanish sentences are aligned to the English lines by length, so each gold code's evidence lands on the English
// lines that translate the sentence it was found in.
import type { CodiespCase } from './codiesp';
import { alignByLength, lineSpans, sentenceSpans, type SentenceSpan } from './sentenceAlignment';

export interface EvidenceLines {
  /** The gold codes (as CodiEsp spells them, upper case) whose evidence is on the English line holding `offset`. */
  codesAt(offset: number): ReadonlySet<string>;
  /** Gold codes with at least one evidence span. */
  readonly located: ReadonlySet<string>;
  /** The English lines (character ranges) holding a gold code's evidence. */
  regionsOf(code: string): readonly (readonly [number, number])[];
}

const lineOf = (spans: readonly SentenceSpan[], offset: number) => spans.findIndex((s) => offset >= s.start && offset <= s.end);

/** Where a case's gold codes have their evidence in the evaluated text: the CodiEsp-X spans themselves for Spanish
 * text, the aligned lines for English. Keyed by the code as CodiEsp spells it. */
export function goldEvidenceRegions(c: CodiespCase): Map<string, (readonly [number, number])[]> {
  const regions = new Map<string, (readonly [number, number])[]>();
  if (!c.spanish) return regions;
  const lines = c.lang === 'en' ? evidenceLines(c) : undefined;
  for (const row of c.spanish.evidence) {
    const found = c.lang === 'es' ? row.spans : (lines?.regionsOf(row.code) ?? []);
    regions.set(row.code, [...(regions.get(row.code) ?? []), ...found]);
  }
  return regions;
}

export function evidenceLines(c: CodiespCase): EvidenceLines | undefined {
  if (!c.spanish?.evidence.length) return undefined;
  const source = sentenceSpans(c.spanish.text);
  const target = lineSpans(c.text);
  const englishOf = new Map<number, readonly number[]>();
  for (const bead of alignByLength(
    source.map((s) => s.end - s.start),
    target.map((s) => s.end - s.start),
  )) {
    for (const i of bead.source) englishOf.set(i, bead.target);
  }
  const byLine = new Map<number, Set<string>>();
  const byCode = new Map<string, Set<number>>();
  for (const row of c.spanish.evidence) {
    for (const [start] of row.spans) {
      for (const line of englishOf.get(lineOf(source, start)) ?? []) {
        const codes = byLine.get(line) ?? new Set<string>();
        codes.add(row.code);
        byLine.set(line, codes);
        byCode.set(row.code, (byCode.get(row.code) ?? new Set<number>()).add(line));
      }
    }
  }
  const none: ReadonlySet<string> = new Set();
  return {
    codesAt: (offset) => byLine.get(lineOf(target, offset)) ?? none,
    located: new Set(c.spanish.evidence.map((row) => row.code)),
    regionsOf: (code) => [...(byCode.get(code) ?? [])].sort((a, b) => a - b).map((line) => [target[line]!.start, target[line]!.end] as const),
  };
}
