// Age and sex edits (abridged from CMS's Medicare Code Editor, listed in codingRules.json): a code outside its age
// range or for the other sex is flagged, never silently dropped — the coder decides.
import RULES from './codingRules.json';
import { inAnyPair } from './codeRefs';
import { collect, type PatientFacts, type RuleSubject } from './ruleSubject';
import type { RuleFinding } from '../suggestion';

const SOURCE = 'CMS Definitions of Medicare Code Edits (age/sex edits, abridged in codingRules.json)';

export function ageSexFindings(subjects: readonly RuleSubject[], patient: PatientFacts): Map<number, RuleFinding[]> {
  const found: [number, RuleFinding][] = [];
  subjects.forEach((subject, i) => {
    if (subject.system !== 'icd10cm') return;
    const age = patient.ageAtService;
    for (const edit of RULES.ageEdits) {
      if (age === undefined || !inAnyPair(subject.code, edit.ranges) || (age >= edit.minAge && age <= edit.maxAge)) continue;
      found.push([
        i,
        {
          rule: 'age-edit',
          severity: 'warning',
          source: SOURCE,
          message: `${subject.code} is a ${edit.name} code (age ${edit.minAge}–${edit.maxAge}); the patient is ${age}`,
        },
      ]);
    }
    const sex = patient.sex;
    for (const edit of RULES.sexEdits) {
      if (!sex || (sex !== 'male' && sex !== 'female') || sex === edit.sex || !inAnyPair(subject.code, edit.ranges)) continue;
      found.push([
        i,
        { rule: 'sex-edit', severity: 'warning', source: SOURCE, message: `${subject.code} is for ${edit.sex} patients; the patient's recorded sex is ${sex}` },
      ]);
    }
  });
  return collect(found);
}
