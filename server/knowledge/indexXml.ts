// ICD-10-CM index-shaped XML (icd10cm-index/drug/neoplasm/eindex, schema icd-10-cm-drug-neoplasm-*.xsd):
// letter → mainTerm → nested term, each with a title (with <nemod> non-essential modifiers), and a code, table
// cells (Neoplasm table, Table of Drugs), or see / see also cross-references.
import type { TableCell } from '../engine/retrieve/knowledgeDoc';
import type { Loaded } from './loadProblem';
import { elements, firstElement, parseXml, textOf, type XmlElement } from './xmlTree';

export interface IndexEntry {
  /** Main term first: ["Failure", "heart", "systolic", "acute", "and (on) chronic"]. */
  readonly path: string[];
  /** Non-essential modifiers of the last term, "(acute) (senile)": they may be present or absent in the record. */
  readonly nonEssential?: string;
  readonly code?: string;
  readonly cells?: TableCell[];
  readonly see?: string;
  readonly seeAlso?: string;
  readonly line: number;
}

const codeOf = (raw: string): string | undefined => {
  const code = raw.trim();
  return code && code !== '--' ? code : undefined;
};

function entryFor(term: XmlElement, path: string[], headings: ReadonlyMap<string, string>): IndexEntry {
  const nonEssential = elements(firstElement(term, 'title') ?? term, 'nemod')
    .map(textOf)
    .join(' ');
  const code = codeOf(textOf(firstElement(term, 'code')));
  const cells = elements(term, 'cell').flatMap((cell) => {
    const cellCode = codeOf(textOf(cell));
    const heading = headings.get(cell.attributes['col'] ?? '');
    return cellCode && heading ? [{ heading, code: cellCode }] : [];
  });
  const see = textOf(firstElement(term, 'see'));
  const seeAlso = textOf(firstElement(term, 'seeAlso'));
  return {
    path,
    line: term.line,
    ...(nonEssential ? { nonEssential } : {}),
    ...(code ? { code } : {}),
    ...(cells.length ? { cells } : {}),
    ...(see ? { see } : {}),
    ...(seeAlso ? { seeAlso } : {}),
  };
}

function walk(term: XmlElement, parentPath: string[], headings: ReadonlyMap<string, string>, out: IndexEntry[]): void {
  const title = firstElement(term, 'title');
  const bare = title
    ? title.children
        .filter((c): c is string => typeof c === 'string')
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim()
    : '';
  const path = [...parentPath, bare];
  out.push(entryFor(term, path, headings));
  for (const child of elements(term, 'term')) walk(child, path, headings, out);
}

export function parseIndexXml(text: string, file: string): Loaded<IndexEntry> & { readonly headings: string[] } {
  const parsed = parseXml(text, file);
  if (!parsed.root) return { items: [], problems: parsed.problems, headings: [] };
  const heads = elements(firstElement(parsed.root, 'indexHeading') ?? parsed.root, 'head');
  const headings = new Map(heads.map((head) => [head.attributes['col'] ?? '', textOf(head)]));
  const items: IndexEntry[] = [];
  for (const letter of elements(parsed.root, 'letter')) {
    for (const mainTerm of elements(letter, 'mainTerm')) walk(mainTerm, [], headings, items);
  }
  const problems = [...parsed.problems];
  for (const entry of items.filter((e) => !e.path.every(Boolean))) problems.push({ file, line: entry.line, reason: 'index term without a title' });
  return { items: items.filter((entry) => entry.path.every(Boolean)), problems, headings: heads.slice(1).map(textOf) };
}
