// ICD-10-CM → documents: codes (order file + tabular notes), Alphabetic Index paths, Neoplasm / Drug / External
// cause tables. Index "see" references are resolved one hop so a cross-reference still leads to a code.
import { docId, type DocKind, type DraftDoc } from '../engine/retrieve/knowledgeDoc';
import type { IndexEntry } from './indexXml';
import type { OrderEntry } from './orderFile';
import { governingEntry, inheritedSeventhCharacters, type TabularEntry } from './tabular';

export interface TabularSource {
  readonly byCode: ReadonlyMap<string, TabularEntry>;
  readonly file: string;
  readonly fallback?: string;
}

export function codeDocuments(
  fy: number,
  order: readonly OrderEntry[],
  orderFile: string,
  tabulars: readonly TabularSource[],
  poaExempt: ReadonlySet<string>,
): DraftDoc[] {
  return order.map((entry) => {
    const found = tabulars.map((t) => ({ t, node: t.byCode.get(entry.code), governing: governingEntry(entry.code, t.byCode) })).find((f) => f.governing);
    const notes = found?.node?.notes ?? [];
    const seventh = found ? inheritedSeventhCharacters(entry.code, found.t.byCode) : [];
    const inclusion = notes.filter((n) => n.kind === 'inclusionTerm').map((n) => n.text);
    return {
      id: docId('icd10cm', fy, 'code', entry.code),
      kind: 'code',
      system: 'icd10cm',
      fy,
      title: entry.longTitle,
      text: [entry.longTitle, ...inclusion].join('; '),
      code: entry.code,
      codes: [entry.code],
      billable: entry.billable,
      category: entry.code.slice(0, 3),
      ...(found?.governing ? { chapter: found.governing.chapter, section: found.governing.section } : {}),
      ...(notes.length ? { notes } : {}),
      ...(seventh.length ? { seventhCharacters: seventh } : {}),
      ...(poaExempt.has(entry.code) ? { poaExempt: true } : {}),
      source: { file: orderFile, ...(found?.node && found.t.fallback ? { fallback: found.t.fallback } : {}) },
    } satisfies DraftDoc;
  });
}

const pathKey = (path: readonly string[]): string => path.join(', ').toLowerCase().replace(/\s+/g, ' ');

/** "Failure, heart" → the code its entry carries, for one-hop "see" resolution. A main term printed with its
 * variants ("Failure, failed") is referred to by any of them. */
function codesByPath(entries: readonly IndexEntry[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of entries) {
    if (!entry.code) continue;
    const [main = '', ...rest] = entry.path;
    for (const variant of main.split(', ')) map.set(pathKey([variant, ...rest]), entry.code);
    map.set(pathKey(entry.path), entry.code);
  }
  return map;
}

export interface IndexDocumentOptions {
  readonly fy: number;
  readonly kind: DocKind;
  readonly file: string;
  readonly fallback?: string;
}

export function indexDocuments(entries: readonly IndexEntry[], options: IndexDocumentOptions): DraftDoc[] {
  const byPath = codesByPath(entries);
  return entries.flatMap((entry) => {
    const seeCode = entry.see ? byPath.get(entry.see.toLowerCase().replace(/\s+/g, ' ')) : undefined;
    const cells = entry.cells ?? [];
    const codes = [...new Set([...(entry.code ? [entry.code] : []), ...cells.map((c) => c.code), ...(seeCode ? [seeCode] : [])])];
    if (codes.length === 0 && !entry.see) return [];
    const phrase = entry.path.join(', ') + (entry.nonEssential ? ` ${entry.nonEssential}` : '');
    const arrow = entry.code ?? (entry.see ? `see ${entry.see}` : cells.map((c) => `${c.heading} ${c.code}`).join('; '));
    return [
      {
        id: docId('icd10cm', options.fy, options.kind, String(entry.line)),
        kind: options.kind,
        system: 'icd10cm',
        fy: options.fy,
        title: `${phrase} → ${arrow}`,
        text: phrase + (entry.see ? ` (see ${entry.see})` : ''),
        ...(entry.code ? { code: entry.code } : {}),
        codes,
        path: entry.path,
        ...(entry.see ? { see: entry.see } : {}),
        ...(cells.length ? { cells } : {}),
        category: codes[0]?.slice(0, 3),
        source: { file: options.file, line: entry.line, ...(options.fallback ? { fallback: options.fallback } : {}) },
      } satisfies DraftDoc,
    ];
  });
}
