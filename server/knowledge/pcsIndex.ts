// ICD-10-PCS Index XML (CMS icd10pcs_index_*.xml): mainTerm → nested term; each gives a full <code>, or a <see>
// naming the root operation and body part, or a code prefix (<codes> 4 characters, <tab> 3), or a <use>
// (a body-part / device synonym). Prefixes keep a trailing "-": they need more characters to be a code.
import type { Loaded } from './loadProblem';
import { elements, firstElement, parseXml, textOf, type XmlElement } from './xmlTree';

export interface PcsIndexEntry {
  readonly path: string[];
  readonly codes: string[];
  readonly see?: string;
  readonly use?: string;
  readonly line: number;
}

const ownText = (node: XmlElement | undefined): string =>
  node
    ? node.children
        .filter((c): c is string => typeof c === 'string')
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim()
        .replace(/,$/, '')
    : '';

function walk(term: XmlElement, parent: string[], out: PcsIndexEntry[]): void {
  const title = textOf(firstElement(term, 'title'));
  const path = title ? [...parent, title] : parent;
  const see = elements(term, 'see');
  const code = textOf(firstElement(term, 'code'));
  const prefixes = see.flatMap((s) => [textOf(firstElement(s, 'codes')), textOf(firstElement(s, 'tab'))].filter(Boolean).map((p) => `${p}-`));
  const direct = [textOf(firstElement(term, 'codes')), textOf(firstElement(term, 'tab'))].filter(Boolean).map((p) => `${p}-`);
  const codes = [...new Set([...(code ? [code] : []), ...direct, ...prefixes])];
  const seeText = see
    .map(
      (s) =>
        `${ownText(s)}${textOf(firstElement(s, 'codes')) || textOf(firstElement(s, 'tab')) ? ` ${textOf(firstElement(s, 'codes')) || textOf(firstElement(s, 'tab'))}` : ''}`,
    )
    .join('; ');
  const use = textOf(firstElement(term, 'use'));
  if (codes.length || seeText || use) out.push({ path, codes, line: term.line, ...(seeText ? { see: seeText } : {}), ...(use ? { use } : {}) });
  for (const child of elements(term, 'term')) walk(child, path, out);
}

export function parsePcsIndex(text: string, file: string): Loaded<PcsIndexEntry> {
  const parsed = parseXml(text, file);
  const items: PcsIndexEntry[] = [];
  if (parsed.root) for (const letter of elements(parsed.root, 'letter')) for (const main of elements(letter, 'mainTerm')) walk(main, [], items);
  return { items, problems: parsed.problems };
}
