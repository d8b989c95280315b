// CodiEsp's gold codes are ICD-10-CM 2018 (diagnoses) and ICD-10-PCS 2018 prefixes (procedures). The CMS conversion
// table lists a split code's successors but not which one carries its old meaning, so the FY2026 mapping follows the
// code set's own convention when a code is expanded: the former code's meaning moves to its "unspecified" child
// (N18.3 → N18.30 "Chronic kidney disease, stage 3 unspecified", R51 → R51.9 "Headache, unspecified"). CodiEsp never
// annotates the 7th character, so a code written as the stem of a 7th-character family (T14.8, S72.002, W19.XXX) is
// that family, compared by its stem as the engine's candidates are. The rules apply to every gold code that is not
// billable in FY2026 (counted as mapped). Codes neither billable nor mappable so are counted, not scored.
import type { CodeBook } from '../../engine/suggest/codeBook';
import { unspecifiedChildren, type CatalogEntry } from '../../engine/suggest/codeValidity';
import { stemOf } from '../../engine/suggest/seventhCharacter';

export type GoldFate = 'kept' | 'mapped' | 'not-in-fy';

export interface NormalizedGold {
  readonly codes: Set<string>;
  readonly counts: Record<GoldFate, number>;
  readonly mapped: readonly (readonly [string, string])[];
}

/** The direct child titled "unspecified" that ends in 0, else the only one (R51 → R51.9, not R51.0). */
function unspecifiedChild(book: CodeBook, code: string): CatalogEntry | undefined {
  const children = unspecifiedChildren(book.catalog('icd10cm'), code);
  return children.find((c) => c.code.endsWith('0')) ?? (children.length === 1 ? children[0] : undefined);
}

/** The first code of the 7th-character family whose stem `code` is, written with or without its placeholder Xs. */
function seventhCharacterFamily(book: CodeBook, code: string): CatalogEntry | undefined {
  const stem = code.replace(/X+$/, '').replace(/\.$/, '');
  return book
    .catalog('icd10cm')
    .billableUnder(stem)
    .find((c) => comparableCode(c.code, book) === stem);
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
    const family = seventhCharacterFamily(book, code) ?? (entry ? unspecifiedChild(book, code) : undefined);
    if (family) {
      out.add(family.code);
      counts.mapped++;
      mapped.push([code, family.code]);
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
