// Is a suggested code reportable for the encounter's fiscal year? A header (category or subcategory) is not: it
// becomes a "needs more specificity" finding listing the billable codes beneath it.
export interface CatalogEntry {
  readonly code: string;
  readonly title: string;
  readonly billable: boolean;
}

/** The code set of one system and fiscal year. */
export interface CodeCatalog {
  readonly fy: number;
  lookup(code: string): CatalogEntry | undefined;
  /** Billable codes that start with this header, in code order. */
  billableUnder(code: string): readonly CatalogEntry[];
}

export type CodeVerdict =
  | { readonly state: 'valid'; readonly entry: CatalogEntry }
  | { readonly state: 'needs-specificity'; readonly entry: CatalogEntry; readonly children: readonly CatalogEntry[] }
  | { readonly state: 'invalid'; readonly reason: string };

export function verifyCode(catalog: CodeCatalog, code: string): CodeVerdict {
  const entry = catalog.lookup(code.trim().toUpperCase());
  if (!entry) return { state: 'invalid', reason: `${code} is not a code in the FY${catalog.fy} code set` };
  if (entry.billable) return { state: 'valid', entry };
  return { state: 'needs-specificity', entry, children: catalog.billableUnder(entry.code) };
}

/** Codes of several systems, each judged by its system's catalog; undefined where a system has no code set loaded
 * (fiscal year 0: CPT without a licensed file), which cannot judge its codes. */
export function verifyCodes<S extends string>(
  catalogOf: (system: S) => CodeCatalog,
  codes: readonly { readonly system: S; readonly code: string }[],
): ({ readonly fy: number; readonly verdict: CodeVerdict } | undefined)[] {
  return codes.map(({ system, code }) => {
    const catalog = catalogOf(system);
    return catalog.fy === 0 ? undefined : { fy: catalog.fy, verdict: verifyCode(catalog, code) };
  });
}

const unspecifiedCount = (title: string): number => title.match(/unspecified/gi)?.length ?? 0;

/** The billable children one level below `code` whose titles say "unspecified" (R51 → R51.9 "Headache,
 * unspecified"; N18.3 → N18.30), the most unspecified first, then in code order: H53.00 → H53.009 "Unspecified
 * amblyopia, unspecified eye" before H53.001 "Unspecified amblyopia, right eye". */
export function unspecifiedChildren(catalog: CodeCatalog, code: string): readonly CatalogEntry[] {
  const depth = code.replace('.', '').length + 1;
  return catalog
    .billableUnder(code)
    .filter((c) => c.code.replace('.', '').length === depth && unspecifiedCount(c.title) > 0)
    .sort((a, b) => unspecifiedCount(b.title) - unspecifiedCount(a.title) || a.code.localeCompare(b.code));
}

/** First index in sorted `codes` whose code is ≥ `code`. */
function lowerBound(sorted: readonly CatalogEntry[], code: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.code < code) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A catalog over a list of entries (an order file, or documents of kind "code"). */
export interface TypedCatalog<E extends CatalogEntry> extends CodeCatalog {
  lookup(code: string): E | undefined;
  billableUnder(code: string): readonly E[];
}

export function catalogOf<E extends CatalogEntry>(fy: number, entries: readonly E[]): TypedCatalog<E> {
  const byCode = new Map(entries.map((e) => [e.code, e]));
  const sorted = entries.filter((e) => e.billable).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return {
    fy,
    lookup: (code) => byCode.get(code),
    billableUnder: (code) => {
      const out: E[] = [];
      for (let i = lowerBound(sorted, code); i < sorted.length && sorted[i]!.code.startsWith(code); i++) {
        if (sorted[i]!.code !== code) out.push(sorted[i]!);
      }
      return out;
    },
  };
}
