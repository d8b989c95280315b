// "Unspecified" codes are for when the note does not say more (Official Guidelines I.B.18). When the note's phrase
// documents acuity, laterality, type or stage and a sibling code names it, the sibling is proposed.
import type { CodeBook } from '../codeBook';
import { collect, type RuleSubject } from './ruleSubject';
import type { RuleFinding, Suggestion } from '../suggestion';

const wordsOf = (value: string): string[] => value.toLowerCase().replace(/\bdm\s*2\b/, 'type 2').replace(/\bii\b/, '2').split(/\s+/);

export function unspecifiedButDocumented(subjects: readonly RuleSubject[], book: CodeBook): Map<number, RuleFinding[]> {
  const found: [number, RuleFinding][] = [];
  subjects.forEach((subject, i) => {
    if (!/\bunspecified\b/i.test(subject.display)) return;
    const documented = Object.values(subject.modifiers).filter((v): v is string => typeof v === 'string');
    const parent = subject.lineage[1]?.code;
    if (!documented.length || !parent) return;
    const siblings = book.catalog(subject.system).billableUnder(parent).filter((c) => {
      const title = c.title.toLowerCase();
      return c.code !== subject.code && !/\bunspecified\b/.test(title) && documented.some((value) => wordsOf(value).every((w) => title.includes(w)));
    });
    if (!siblings.length) return;
    found.push([i, {
      rule: 'unspecified-but-documented', severity: 'warning', source: 'Official Guidelines I.B.18 (use of unspecified codes)',
      message: `${subject.code} is unspecified but the note documents ${documented.join(', ')}: consider ${siblings.slice(0, 3).map((s) => s.code).join(', ')}`,
      relatedCodes: siblings.slice(0, 3).map((s) => s.code),
    }]);
  });
  return collect(found);
}

/** An unspecified code next to a more specific code of the same subcategory (HFrEF → I50.20 beside I50.23): the
 * specific code covers it, so the unspecified one folds into it, its evidence kept. */
export function foldRedundantUnspecified(suggestions: readonly Suggestion[], book: CodeBook): Suggestion[] {
  const out = [...suggestions];
  for (const unspecified of suggestions) {
    if (!/\bunspecified\b/i.test(unspecified.display)) continue;
    const parent = book.lineage(unspecified.system, unspecified.code)[1]?.code;
    const at = out.findIndex((s) => s !== unspecified && s.system === unspecified.system && parent !== undefined && s.code.startsWith(parent) && !/\bunspecified\b/i.test(s.display));
    if (at < 0) continue;
    const specific = out[at]!;
    out[at] = {
      ...specific,
      evidence: [...specific.evidence, ...unspecified.evidence],
      findings: [...specific.findings, {
        rule: 'unspecified-but-documented', severity: 'info', source: 'Official Guidelines I.B.18 (use of unspecified codes)', relatedCodes: [unspecified.code],
        message: `also documented as "${unspecified.evidence[0]?.text ?? unspecified.code}" (${unspecified.code}, unspecified): ${specific.code} is the more specific code`,
      }],
    };
    out.splice(out.indexOf(unspecified), 1);
  }
  return out;
}
