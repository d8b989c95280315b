// Signs and symptoms routinely associated with a diagnosis are not coded beside it (Official Guidelines I.B.5):
// a symptom code next to such a diagnosis is flagged, for the pairs codingRules.json lists.
import RULES from './codingRules.json';
import { inAnyPair } from './codeRefs';
import { collect, type RuleSubject } from './ruleSubject';
import type { RuleFinding } from '../suggestion';

export function integralSymptomFindings(subjects: readonly RuleSubject[]): Map<number, RuleFinding[]> {
  const found: [number, RuleFinding][] = [];
  subjects.forEach((symptom, i) => {
    if (symptom.system !== 'icd10cm') return;
    for (const pair of RULES.integralSymptoms) {
      if (!inAnyPair(symptom.code, pair.symptoms)) continue;
      const diagnosis = subjects.find((s) => s.system === 'icd10cm' && inAnyPair(s.code, pair.diagnoses));
      if (!diagnosis) continue;
      found.push([
        i,
        {
          rule: 'symptom-integral',
          severity: 'warning',
          source: 'Official Guidelines I.B.5 (signs and symptoms integral to a diagnosis)',
          relatedCodes: [diagnosis.code],
          message: `${symptom.code} is routinely part of ${pair.condition} (${diagnosis.code}): not coded separately unless the note says otherwise`,
        },
      ]);
      break;
    }
  });
  return collect(found);
}
