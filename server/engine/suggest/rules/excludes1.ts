// Excludes1: "NOT CODED HERE" — the two conditions are never reported together (Official Guidelines I.A.12.a).
// A conflict between two suggested codes is a warning on both, naming the note and where it sits.
import { codeRangesIn, inAnyRange } from './codeRefs';
import { collect, notesOf, type RuleSubject } from './ruleSubject';
import type { RuleFinding } from '../suggestion';

export function excludes1Conflicts(subjects: readonly RuleSubject[]): Map<number, RuleFinding[]> {
  const found: [number, RuleFinding][] = [];
  subjects.forEach((a, i) => {
    if (a.system !== 'icd10cm') return;
    for (const note of notesOf(a, 'excludes1')) {
      const ranges = codeRangesIn(note.text);
      subjects.forEach((b, j) => {
        if (i === j || b.system !== 'icd10cm' || !inAnyRange(b.code, ranges)) return;
        const finding: RuleFinding = {
          rule: 'excludes1-conflict',
          severity: 'warning',
          message: `${a.code} and ${b.code} are not coded together: ${note.at} Excludes1 "${note.text}"`,
          source: `ICD-10-CM tabular ${note.at} Excludes1; Official Guidelines I.A.12.a`,
          relatedCodes: [a.code === b.code ? a.code : b.code],
        };
        found.push([i, finding], [j, { ...finding, relatedCodes: [a.code] }]);
      });
    }
  });
  return dedupe(collect(found));
}

function dedupe(map: Map<number, RuleFinding[]>): Map<number, RuleFinding[]> {
  for (const [index, findings] of map) {
    const seen = new Set<string>();
    map.set(
      index,
      findings.filter((f) => !seen.has(f.message) && seen.add(f.message)),
    );
  }
  return map;
}
