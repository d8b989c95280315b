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
  return {
    fy,
    catalog: (system) => catalogs.get(system) ?? { ...EMPTY, fy },
    doc,
    lineage: (system, code) => [code, ...ancestorsOf(code)].flatMap((c) => doc(system, c) ?? []),
  };
}
