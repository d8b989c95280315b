// Signs and symptoms routinely associated with a diagnosis are not coded beside it (Official Guidelines I.B.5):
// a symptom code next to such a diagnosis is flagged, for the pairs codingRules.json lists.
import RULES from './codingRules.json';
import { inRange } from './codeRefs';
import { collect, type RuleSubject } from './ruleSubject';
import type { RuleFinding } from '../suggestion';

const within = (code: string, ranges: readonly (readonly string[])[]) => ranges.some(([from, to]) => inRange(code, { from: from!, to: to! }));

export function integralSymptomFindings(subjects: readonly RuleSubject[]): Map<number, RuleFinding[]> {
  const found: [number, RuleFinding][] = [];
  subjects.forEach((symptom, i) => {
    if (symptom.system !== 'icd10cm') return;
    for (const pair of RULES.integralSymptoms) {
      if (!within(symptom.code, pair.symptoms)) continue;
      const diagnosis = subjects.find((s) => s.system === 'icd10cm' && within(s.code, pair.diagnoses));
      if (!diagnosis) continue;
      found.push([i, {
        rule: 'symptom-integral', severity: 'warning', source: 'Official Guidelines I.B.5 (signs and symptoms integral to a diagnosis)', relatedCodes: [diagnosis.code],
        message: `${symptom.code} is routinely part of ${pair.condition} (${diagnosis.code}): not coded separately unless the note says otherwise`,
      }]);
      break;
    }
  });
  return collect(found);
}
