// Where an Alphabetic Index "see" reference leads: the code of the entry it names ("Vomiting, blood — see
// Hematemesis" → K92.0; "Hypertension, with, heart involvement — see Hypertension, heart" → I11.9), or the Table of
// Neoplasms cell it names ("Myxofibrosarcoma — see Neoplasm, connective tissue, malignant" → C49.9). "See" is not
// optional for a coder: the term it stands on has no code of its own. "See also" names another place to look, beside
// the entry's own code when it has one ("Anaplasia cervix N87.9 — see also Dysplasia, cervix"): a second candidate
// the ranker weighs. "See condition" and references by site ("see Neoplasm, malignant, by site") name no single
// code, so they lead nowhere here.

/** An Alphabetic Index entry as far as its references go. */
export interface IndexReference {
  readonly path: readonly string[];
  readonly code?: string;
  readonly see?: string;
  readonly seeAlso?: string;
}

/** A row of the Table of Neoplasms: "Neoplasm, neoplastic" first, then the site terms ("larynx, laryngeal NEC"). */
export interface NeoplasmRow {
  readonly path: readonly string[];
  readonly cells?: readonly { readonly heading: string; readonly code: string }[];
}

/** A term without its optional (parenthesized) and bracketed words. */
export const withoutModifiers = (text: string): string => text.replace(/\([^)]*\)/g, ' ').replace(/\[[^\]]*\]/g, ' ');

const clean = (text: string): string =>
  withoutModifiers(text)
    .replace(/\bNEC\b/g, ' ')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

const parts = (text: string): string[] => text.split(',').map(clean).filter(Boolean);

/** The keys an Index path is found by: each form of its main term ("Ulcer, ulcerated, …"), then its subterms. */
function keysOf(path: readonly string[]): string[] {
  const rest = path.slice(1).flatMap(parts);
  return parts(path[0] ?? '').map((form) => [form, ...rest].join('|'));
}

/** The keys a table row is found by: its site terms, each in one of its forms ("larynx, laryngeal"). */
function rowKeys(path: readonly string[]): string[] {
  let keys = [''];
  for (const level of path.slice(1)) keys = keys.flatMap((k) => parts(level).map((p) => (k ? `${k}|${p}` : p))).slice(0, 16);
  return keys;
}

const COLUMNS: Readonly<Record<string, string>> = {
  malignant: 'malignant primary',
  secondary: 'malignant secondary',
  'in situ': 'ca in situ',
  benign: 'benign',
  'uncertain behavior': 'uncertain behavior',
  uncertain: 'uncertain behavior',
  'unspecified behavior': 'unspecified behavior',
};

/** For each Index entry, the raw code its "see" reference leads to (undefined when it has a code or leads nowhere). */
export function seeTargets(index: readonly IndexReference[], table: readonly NeoplasmRow[], kind: 'see' | 'seeAlso' = 'see'): (string | undefined)[] {
  const coded = new Map<string, string>();
  for (const e of index) if (e.code) for (const key of keysOf(e.path)) if (!coded.has(key)) coded.set(key, e.code);
  const cells = new Map<string, ReadonlyMap<string, string>>();
  for (const row of table) {
    if (!row.cells?.length) continue;
    const byHeading = new Map(row.cells.map((c) => [c.heading.toLowerCase(), c.code] as const));
    for (const key of rowKeys(row.path)) if (!cells.has(key)) cells.set(key, byHeading);
  }
  return index.map((e) => {
    const reference = e[kind];
    if ((kind === 'see' && e.code) || !reference) return undefined;
    const target = parts(reference);
    if (target[0] === 'neoplasm') {
      const column = COLUMNS[target.at(-1) ?? ''];
      const code = column ? cells.get(target.slice(1, -1).join('|'))?.get(column) : undefined;
      return code && /^[A-Z]\d/.test(code) ? code : undefined;
    }
    return coded.get(target.join('|'));
  });
}
