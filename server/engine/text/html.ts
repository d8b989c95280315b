// HTML note → plain text with an offset map back into the HTML (htmlparser2, the parser cheerio is built on).
// Block elements become line breaks; script/style are dropped; an entity's characters map to the entity's start.
import { Parser } from 'htmlparser2';
import type { Span } from './span';

export interface MappedText {
  readonly text: string;
  /** sourceOffsets[i] is the index in the HTML of text[i]. */
  readonly sourceOffsets: readonly number[];
}

const BLOCK = new Set([
  'p',
  'div',
  'br',
  'li',
  'ul',
  'ol',
  'tr',
  'table',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'section',
  'article',
  'header',
  'footer',
  'pre',
  'blockquote',
  'dt',
  'dd',
  'hr',
  'title',
  'body',
]);
const HIDDEN = new Set(['script', 'style', 'head']);

/** Whether a note's content type is HTML (its text offsets then map back to the markup). */
export const isHtmlContent = (contentType: string | undefined): boolean => contentType === 'text/html' || contentType === 'application/xhtml+xml';

export function htmlToText(html: string): MappedText {
  let text = '';
  const offsets: number[] = [];
  let hidden = 0;
  const lineBreak = (at: number) => {
    if (text && !text.endsWith('\n')) {
      text += '\n';
      offsets.push(at);
    }
  };
  const parser = new Parser(
    {
      onopentag(name) {
        if (HIDDEN.has(name)) hidden++;
        if (BLOCK.has(name)) lineBreak(parser.startIndex);
      },
      onclosetag(name) {
        if (HIDDEN.has(name)) hidden = Math.max(0, hidden - 1);
        if (BLOCK.has(name)) lineBreak(parser.startIndex);
      },
      ontext(data) {
        if (hidden) return;
        const start = parser.startIndex;
        const verbatim = parser.endIndex - start + 1 === data.length && html.slice(start, parser.endIndex + 1) === data;
        for (let i = 0; i < data.length; i++) offsets.push(verbatim ? start + i : start);
        text += data;
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.end(html);
  return { text, sourceOffsets: offsets };
}

/** A span of the plain text as a span of the HTML source. */
export function sourceSpan(mapped: MappedText, span: Span): Span {
  const start = mapped.sourceOffsets[span.start] ?? 0;
  const last = mapped.sourceOffsets[Math.max(span.start, span.end - 1)] ?? start;
  return { start, end: last + 1 };
}
