// Note sections from header lines ("PMH:", "ASSESSMENT AND PLAN", "Discharge Diagnoses: …"). A section runs from
// its header to the next header; text before the first header is the "preamble".
import HEADERS from './sections.json';
import type { Span } from './span';

export interface Section extends Span {
  /** Canonical name from sections.json, e.g. "past-medical-history". */
  readonly name: string;
  /** The header as written. */
  readonly header: Span;
}

const PHRASES: readonly (readonly [string, string])[] = Object.entries(HEADERS as Record<string, string[] | string>)
  .filter(([name]) => !name.startsWith('_'))
  .flatMap(([name, phrases]) => (phrases as string[]).map((phrase) => [phrase, name] as const))
  .sort((a, b) => b[0].length - a[0].length);

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const HEADER = new RegExp(`^[ \\t]*(?:#{1,6}[ \\t]*)?(${PHRASES.map(([p]) => escapeRegExp(p)).join('|')})[ \\t]*(?::|$)`, 'gim');
const NAME_OF = new Map(PHRASES.map(([phrase, name]) => [phrase, name]));
/** A line in capitals alone ("DISCHARGE SUMMARY", "ED NOTE") is a heading even when sections.json does not name it. */
const CAPITALS_LINE = /^[ \t]*(?:#{1,6}[ \t]*)?([A-Z][A-Z&/ -]{2,60}[A-Z])[ \t]*:?[ \t]*$/gm;

export function detectSections(text: string): Section[] {
  const named = [...text.matchAll(HEADER)].map((m) => {
    const start = m.index! + m[0].indexOf(m[1]!);
    return { name: NAME_OF.get(m[1]!.toLowerCase())!, header: { start, end: start + m[1]!.length }, lineStart: m.index! };
  });
  const headings = [...text.matchAll(CAPITALS_LINE)]
    .filter((m) => !named.some((h) => h.lineStart === m.index))
    .map((m) => {
      const start = m.index! + m[0].indexOf(m[1]!);
      return { name: 'heading', header: { start, end: start + m[1]!.length }, lineStart: m.index! };
    });
  const headers = [...named, ...headings].sort((a, b) => a.lineStart - b.lineStart);
  const sections: Section[] = [];
  if (headers.length === 0 || headers[0]!.lineStart > 0) {
    const end = headers[0]?.lineStart ?? text.length;
    if (text.slice(0, end).trim()) sections.push({ name: 'preamble', start: 0, end, header: { start: 0, end: 0 } });
  }
  headers.forEach((h, i) => {
    sections.push({ name: h.name, start: h.header.start, end: headers[i + 1]?.lineStart ?? text.length, header: h.header });
  });
  return sections;
}

export const sectionAt = (sections: readonly Section[], offset: number): Section | undefined => sections.find((s) => offset >= s.start && offset < s.end);
