// Combination codes (Official Guidelines I.B.9, I.A.15 "with", I.C.9.a): a code that a combination code replaces,
// when its partners are also suggested, becomes the combination code; the partners stay (the combination's own
// "use additional code" note asks for them). Rules are data (codingRules.json), tried in order.
import RULES from './codingRules.json';
import { inAnyPair } from './codeRefs';
import type { RuleSubject } from './ruleSubject';
import type { RuleFinding } from '../suggestion';

interface CombinationRule {
  readonly id: string;
  readonly replace: readonly string[];
  readonly requires: readonly (readonly [string, string])[];
  readonly with: string;
  readonly source: string;
}

const COMBINATIONS = RULES.combinations as unknown as readonly CombinationRule[];

export interface Replacement {
  readonly index: number;
  readonly code: string;
  readonly finding: RuleFinding;
}

export function combinationReplacements(subjects: readonly RuleSubject[]): Replacement[] {
  const out: Replacement[] = [];
  subjects.forEach((subject, i) => {
    if (subject.system !== 'icd10cm') return;
    for (const rule of COMBINATIONS) {
      if (!rule.replace.includes(subject.code)) continue;
      const partners = rule.requires.map((r) => subjects.find((other, j) => j !== i && inAnyPair(other.code, [r]))?.code);
      if (partners.some((p) => p === undefined)) continue;
      out.push({
        index: i,
        code: rule.with,
        finding: {
          rule: 'combination-code',
          severity: 'warning',
          source: rule.source,
          message: `${subject.code} with ${partners.join(' and ')} is reported as the combination code ${rule.with} (rule ${rule.id})`,
          relatedCodes: [subject.code, ...(partners as string[])],
        },
      });
      break;
    }
  });
  return out;
}
