// "Unspecified" codes are for when the note does not say more (Official Guidelines I.B.18). When the note's phrase
// documents acuity, laterality, type or stage and exactly one sibling code names all of it, the sibling replaces the
// unspecified code; when several name part of it, they are proposed.
import type { CodeBook } from '../codeBook';
import type { CatalogEntry } from '../codeValidity';
import { collect, type RuleSubject } from './ruleSubject';
import type { RuleFinding, Suggestion } from '../suggestion';

const wordsOf = (value: string): string[] =>
  value
    .toLowerCase()
    .replace(/\bdm\s*2\b/, 'type 2')
    .replace(/\bii\b/, '2')
    .split(/\s+/);

const SOURCE = 'Official Guidelines I.B.18 (use of unspecified codes)';

const documentedOf = (subject: RuleSubject): string[] => Object.values(subject.modifiers).filter((v): v is string => typeof v === 'string');

/** Billable siblings of an unspecified code whose titles name something the note documents about it. */
function documentedSiblings(subject: RuleSubject, book: CodeBook, every: boolean): CatalogEntry[] {
  if (!/\bunspecified\b/i.test(subject.display)) return [];
  const documented = documentedOf(subject);
  const parent = subject.lineage[1]?.code;
  if (!documented.length || !parent) return [];
  // Whole words, the patterns made once per subject: "on" (acute on chronic) must not match in "congestive".
  const wordPattern = (w: string) => new RegExp(`(^|[^a-z0-9])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z0-9])`);
  const values = documented.map((value) => wordsOf(value).map(wordPattern));
  const names = (title: string, words: readonly RegExp[]) => words.every((w) => w.test(title));
  return book
    .catalog(subject.system)
    .billableUnder(parent)
    .filter((c) => {
      const title = c.title.toLowerCase();
      return c.code !== subject.code && !/\bunspecified\b/.test(title) && (every ? values.every((v) => names(title, v)) : values.some((v) => names(title, v)));
    });
}

/**
 * An unspecified code whose documented details (acuity, type, laterality, stage…) one sibling names in full, and only
 * one, becomes that sibling: the unspecified code stays as the first alternative and a finding says why.
 */
export function promoteDocumentedSpecific(
  subjects: readonly RuleSubject[],
  book: CodeBook,
): Map<number, { code: string; title: string; finding: RuleFinding }> {
  const out = new Map<number, { code: string; title: string; finding: RuleFinding }>();
  subjects.forEach((subject, i) => {
    const siblings = documentedSiblings(subject, book, true);
    if (siblings.length !== 1) return;
    const [only] = siblings as [CatalogEntry];
    out.set(i, {
      code: only.code,
      title: only.title,
      finding: {
        rule: 'unspecified-but-documented',
        severity: 'info',
        source: SOURCE,
        relatedCodes: [subject.code],
        message: `${only.code} instead of ${subject.code} (unspecified): the note documents ${documentedOf(subject).join(', ')}, which only ${only.code} names`,
      },
    });
  });
  return out;
}

export function unspecifiedButDocumented(subjects: readonly RuleSubject[], book: CodeBook): Map<number, RuleFinding[]> {
  const found: [number, RuleFinding][] = [];
  subjects.forEach((subject, i) => {
    const siblings = documentedSiblings(subject, book, false);
    const documented = documentedOf(subject);
    if (!siblings.length) return;
    found.push([
      i,
      {
        rule: 'unspecified-but-documented',
        severity: 'warning',
        source: SOURCE,
        message: `${subject.code} is unspecified but the note documents ${documented.join(', ')}: consider ${siblings
          .slice(0, 3)
          .map((s) => s.code)
          .join(', ')}`,
        relatedCodes: siblings.slice(0, 3).map((s) => s.code),
      },
    ]);
  });
  return collect(found);
}

type Coded = Pick<Suggestion, 'system' | 'code' | 'display'>;

/** Whether `specific` covers `unspecified`: an unspecified code and a specified one of the same subcategory. */
export function coversUnspecified(unspecified: Coded, specific: Coded, book: CodeBook): boolean {
  if (
    unspecified === specific ||
    unspecified.system !== specific.system ||
    !/\bunspecified\b/i.test(unspecified.display) ||
    /\bunspecified\b/i.test(specific.display)
  )
    return false;
  const parent = book.lineage(unspecified.system, unspecified.code)[1]?.code;
  return parent !== undefined && specific.code.startsWith(parent);
}

/** An unspecified code next to a more specific code of the same subcategory (HFrEF → I50.20 beside I50.23): the
 * specific code covers it, so the unspecified one folds into it, its evidence kept. */
export function foldRedundantUnspecified(suggestions: readonly Suggestion[], book: CodeBook): Suggestion[] {
  const out = [...suggestions];
  for (const unspecified of suggestions) {
    const at = out.findIndex((s) => coversUnspecified(unspecified, s, book));
    if (at < 0) continue;
    const specific = out[at]!;
    out[at] = {
      ...specific,
      evidence: [
        ...specific.evidence,
        ...unspecified.evidence.filter((e) => !specific.evidence.some((x) => x.sourceId === e.sourceId && x.start <= e.start && e.end <= x.end)),
      ],
      findings: [
        ...specific.findings,
        {
          rule: 'unspecified-but-documented',
          severity: 'info',
          source: SOURCE,
          relatedCodes: [unspecified.code],
          message:
            `also documented as "${unspecified.evidence[0]?.text ?? unspecified.code}" ` +
            `(${unspecified.code}, unspecified): ${specific.code} is the more specific code`,
        },
      ],
    };
    out.splice(out.indexOf(unspecified), 1);
  }
  return out;
}
