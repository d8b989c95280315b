// A small element tree over saxes (the streaming parser jsdom uses), keeping the line each element starts on.
// On malformed XML the tree parsed so far is kept and the error is reported with its line.
import { SaxesParser } from 'saxes';
import type { LoadProblem } from './loadProblem';

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlNode[];
  readonly line: number;
}

export type XmlNode = XmlElement | string;

export interface ParsedXml {
  readonly root?: XmlElement;
  readonly problems: LoadProblem[];
}

export function parseXml(text: string, file: string): ParsedXml {
  const parser = new SaxesParser({ position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const problems: LoadProblem[] = [];
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, attributes: tag.attributes as Record<string, string>, children: [], line: parser.line };
    stack.at(-1)?.children.push(element);
    root ??= element;
    stack.push(element);
  });
  parser.on('closetag', () => void stack.pop());
  parser.on('text', (value) => void stack.at(-1)?.children.push(value));
  parser.on('error', (err) => {
    problems.push({ file, line: parser.line, reason: `malformed XML: ${err.message.replace(/^[^:]*:\d+:\d+: /, '')}` });
  });
  try {
    parser.write(text).close();
  } catch {
    // the error handler has recorded it; keep what was parsed before the fault
  }
  return root ? { root, problems } : { problems: problems.length ? problems : [{ file, line: 1, reason: 'no XML root element' }] };
}

export const elements = (node: XmlElement, name?: string): XmlElement[] =>
  node.children.filter((c): c is XmlElement => typeof c !== 'string' && (name === undefined || c.name === name));

export const firstElement = (node: XmlElement, name: string): XmlElement | undefined => elements(node, name)[0];

/** Text content with descendants' text in document order, whitespace collapsed. */
export function textOf(node: XmlElement | undefined): string {
  if (!node) return '';
  const parts: string[] = [];
  const walk = (n: XmlNode) => (typeof n === 'string' ? parts.push(n) : n.children.forEach(walk));
  node.children.forEach(walk);
  return parts
    .join(' ')
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.)\]])/g, '$1')
    .replace(/([([])\s+/g, '$1')
    .trim();
}
