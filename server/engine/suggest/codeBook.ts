// Every code of one fiscal year's code sets with its document (title, tabular notes, 7th characters), per system:
// what verification and the coding rules look codes up in.
import type { CodeSystemKey, KnowledgeDoc } from '../retrieve/knowledgeDoc';
import { catalogOf, type CatalogEntry, type CodeCatalog } from './codeValidity';

export interface CodeDocEntry extends CatalogEntry {
  readonly doc: KnowledgeDoc;
}

export interface CodeBook {
  readonly fy: number;
  catalog(system: CodeSystemKey): CodeCatalog;
  doc(system: CodeSystemKey, code: string): KnowledgeDoc | undefined;
  /** The code's document and its ancestors' (E11.22, E11.2, E11), nearest first: notes are inherited downwards. */
  lineage(system: CodeSystemKey, code: string): KnowledgeDoc[];
}

const EMPTY: CodeCatalog = { fy: 0, lookup: () => undefined, billableUnder: () => [] };

/** Ancestor codes by shortening: "E11.22" → "E11.2", "E11". */
export function ancestorsOf(code: string): string[] {
  const out: string[] = [];
  for (let cut = code.length - 1; cut >= 3; cut--) {
    const prefix = code.slice(0, cut).replace(/\.$/, '');
    if (prefix !== out.at(-1)) out.push(prefix);
  }
  return out;
}

/** The words every title starts with, cut at a word: "Extirpation of Matter from Bladder". */
function commonTitle(titles: readonly string[]): string {
  let prefix = titles[0] ?? '';
  for (const t of titles) while (!t.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.replace(/[\s,]+\S*$/, (tail) => (titles.every((t) => t === prefix) ? tail : '')).replace(/[\s,]+$/, '');
}

/** ICD-10-PCS is built from tables: a code's first characters ("0TCB": extirpation, bladder) name a table row, as a
 * header names a category. The order file lists only the 3-character tables, so a longer prefix of codes of the
 * year is looked up as a header of the codes under it (coding CodiEsp-P prefixes, choosing among a row's codes). */
function withPcsRows(catalog: CodeCatalog): CodeCatalog {
  return {
    ...catalog,
    lookup(code) {
      const found = catalog.lookup(code);
      if (found || code.length < 4 || code.length > 6) return found;
      const children = catalog.billableUnder(code);
      return children.length ? { code, title: commonTitle(children.map((c) => c.title)) || children[0]!.title, billable: false } : undefined;
    },
  };
}

export function codeBookOf(fy: number, docs: readonly KnowledgeDoc[]): CodeBook {
  const bySystem = new Map<CodeSystemKey, CodeDocEntry[]>();
  for (const doc of docs) {
    if (doc.kind !== 'code' || !doc.code) continue;
    const list = bySystem.get(doc.system) ?? [];
    list.push({ code: doc.code, title: doc.title, billable: doc.billable ?? false, doc });
    bySystem.set(doc.system, list);
  }
  const catalogs = new Map([...bySystem].map(([system, entries]) => [system, catalogOf<CodeDocEntry>(fy, entries)]));
  const doc = (system: CodeSystemKey, code: string) => catalogs.get(system)?.lookup(code)?.doc;
  const pcs = catalogs.get('icd10pcs');
  const pcsRows = pcs ? withPcsRows(pcs) : undefined;
  return {
    fy,
    catalog: (system) => (system === 'icd10pcs' ? pcsRows : catalogs.get(system)) ?? { ...EMPTY, fy },
    doc,
    lineage: (system, code) => [code, ...ancestorsOf(code)].flatMap((c) => doc(system, c) ?? []),
  };
}
