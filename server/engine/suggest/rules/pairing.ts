// "Use additional code" and "Code first" (Official Guidelines I.A.13 and I.B.7): a note that names codes pairs the
// suggestion with another suggested code in that range. The notes whose codes were not suggested are gathered into
// one reminder per kind, naming what the coder should look for in the note.
import { codeRangesIn, inAnyRange, type CodeRange } from './codeRefs';
import { collect, notesOf, type RuleSubject } from './ruleSubject';
import type { RuleFinding } from '../suggestion';

const KINDS = [
  { kind: 'useAdditionalCode', rule: 'use-additional-code', label: 'Use additional code' },
  { kind: 'codeFirst', rule: 'code-first', label: 'Code first' },
] as const;

const rangeText = (r: CodeRange): string => (r.from === r.to ? r.from : `${r.from}-${r.to}`);

export function pairingFindings(subjects: readonly RuleSubject[]): Map<number, RuleFinding[]> {
  const found: [number, RuleFinding][] = [];
  subjects.forEach((subject, i) => {
    if (subject.system !== 'icd10cm') return;
    for (const { kind, rule, label } of KINDS) {
      const unpaired: { text: string; ranges: CodeRange[]; at: string }[] = [];
      for (const note of notesOf(subject, kind)) {
        const ranges = codeRangesIn(note.text);
        if (ranges.length === 0) continue;
        const partners = subjects.filter((other, j) => j !== i && inAnyRange(other.code, ranges)).map((o) => o.code);
        if (!partners.length) {
          unpaired.push({ text: note.text, ranges, at: note.at });
          continue;
        }
        found.push([
          i,
          {
            rule,
            severity: 'info',
            message: `${label} "${note.text}": paired with ${partners.join(', ')}`,
            source: `ICD-10-CM tabular ${note.at} ${label}; Official Guidelines I.A.13`,
            relatedCodes: partners,
          },
        ]);
      }
      if (!unpaired.length) continue;
      found.push([
        i,
        {
          rule,
          severity: 'info',
          source: `ICD-10-CM tabular ${[...new Set(unpaired.map((u) => u.at))].join(', ')} ${label}; Official Guidelines I.A.13`,
          message: `${label}, if the note documents it: ${unpaired
            .slice(0, 4)
            .map((u) => u.text)
            .join('; ')}${unpaired.length > 4 ? `; and ${unpaired.length - 4} more` : ''}`,
          relatedCodes: unpaired.flatMap((u) => u.ranges.map(rangeText)),
        },
      ]);
    }
  });
  return collect(found);
}
