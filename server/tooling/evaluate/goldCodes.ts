// CodiEsp's gold codes are ICD-10-CM 2018 (diagnoses) and ICD-10-PCS 2018 prefixes (procedures). Without a CMS
// conversion table in the allowed data, the FY2026 mapping follows the code set's own convention when a code is
// expanded: the former code's meaning moves to its "unspecified" child ending in 0 (N18.3 → N18.30 "Chronic kidney
// disease, stage 3 unspecified"). The rule is applied to every gold code that is a FY2026 header, so a gold code
// given at header level is mapped the same way (counted as mapped). Codes that are neither billable in FY2026 nor
// mappable so are counted, not scored.
import type { CodeBook } from '../../engine/suggest/codeBook';
import { stemOf } from '../../engine/suggest/seventhCharacter';

export type GoldFate = 'kept' | 'mapped' | 'not-in-fy';

export interface NormalizedGold {
  readonly codes: Set<string>;
  readonly counts: Record<GoldFate, number>;
  readonly mapped: readonly (readonly [string, string])[];
}

export function normalizeDiagnosisGold(codes: Iterable<string>, book: CodeBook, counts: Record<GoldFate, number>, mapped: [string, string][]): Set<string> {
  const catalog = book.catalog('icd10cm');
  const out = new Set<string>();
  for (const raw of codes) {
    const code = raw.trim().toUpperCase();
    const entry = catalog.lookup(code);
    if (entry?.billable) {
      out.add(code);
      counts.kept++;
      continue;
    }
    const unspecified = entry
      ? catalog.billableUnder(code).find((c) => c.code === `${code}${code.includes('.') ? '' : '.'}0` && /unspecified/i.test(c.title))
      : undefined;
    if (unspecified) {
      out.add(unspecified.code);
      counts.mapped++;
      mapped.push([code, unspecified.code]);
      continue;
    }
    counts['not-in-fy']++;
  }
  return out;
}

/** Each gold code as written → its FY2026 code (none when it is not in the fiscal year), counted once each: for
 * callers that must know which written code a normalized one came from (evidence located per written code). */
export function normalizeEachGold(
  codes: Iterable<string>,
  book: CodeBook,
  counts: Record<GoldFate, number>,
  mapped: [string, string][],
): Map<string, string[]> {
  return new Map([...codes].map((raw) => [raw, [...normalizeDiagnosisGold([raw], book, counts, mapped)]] as const));
}

/** The form in which codes are compared: a code that takes a 7th character by its stem, since candidates are stems. */
export function comparableCode(code: string, book: CodeBook): string {
  return stemOf(code, book.doc('icd10cm', code)?.seventhCharacters);
}
