// What a model arm changed against the ranker alone, on the same documents: the diagnosis codes it added or took
// away, each right or wrong by the gold. "Fixed" is a gold code added or a wrong code taken away; "broke" the reverse.
import type { DocumentOutcome, EvalDocument } from './suggestEval';

export interface ModelChange {
  readonly doc: string;
  readonly code: string;
  readonly change: 'added' | 'removed';
  readonly gold: boolean;
}

export interface ModelChanges {
  readonly against: string;
  readonly fixed: number;
  readonly broke: number;
  /** Every change, the document order kept. */
  readonly changes: readonly ModelChange[];
}

export function modelChanges(
  documents: readonly EvalDocument[],
  baseline: readonly DocumentOutcome[],
  arm: readonly DocumentOutcome[],
  comparable: (code: string) => string,
  against = 'retrieval',
): ModelChanges {
  const changes: ModelChange[] = [];
  documents.forEach((doc, i) => {
    const gold = new Set([...doc.diagnoses].map(comparable));
    const before = new Set((baseline[i]?.diagnoses ?? []).map((s) => comparable(s.code)));
    const after = new Set((arm[i]?.diagnoses ?? []).map((s) => comparable(s.code)));
    for (const code of [...after].filter((c) => !before.has(c)).sort()) changes.push({ doc: doc.id, code, change: 'added', gold: gold.has(code) });
    for (const code of [...before].filter((c) => !after.has(c)).sort()) changes.push({ doc: doc.id, code, change: 'removed', gold: gold.has(code) });
  });
  const fixes = (c: ModelChange) => (c.change === 'added') === c.gold;
  return { against, fixed: changes.filter(fixes).length, broke: changes.filter((c) => !fixes(c)).length, changes };
}
