// Sentences of a clinical note as spans. Line structure first (list items, "Header:" lines and blank lines always
// end a sentence), then sentence-splitter (textlint) for prose inside each block; a break before a lower-case word
// ("10 mg. daily") is undone, since clinical abbreviations end in periods more often than sentences do.
import { split } from 'sentence-splitter';
import ABBREVIATIONS from './sentenceAbbreviations.json';
import { trimmed, type Span } from './span';

const ENDS_WITH_ABBREVIATION = new RegExp(`(?:^|[\\s(])(?:${ABBREVIATIONS.abbreviations.map((a) => a.replace(/\./g, '\\.')).join('|')})\\.$`, 'i');

const LIST_ITEM = /^\s*(?:[-*•]|\d{1,2}[.)]|[a-z][.)])\s+/;
const HEADER_LINE = /^\s*[A-Z][A-Za-z /&]{1,40}:\s*$|^\s*[A-Z][A-Z /&]{2,40}:?\s*$/;
/** A line that ends a sentence before a line that starts one: a break even where an unclosed "[" or "(" would make the
 * prose splitter read on. */
const ENDS_SENTENCE = /[.!?]["')\]]*\s*$/;
const NUMBER_ONLY = /^\s*\d{1,2}[.)]\s*$/;
const STARTS_SENTENCE = /^\s*[A-Z]/;

/** Blocks of consecutive lines that may hold one sentence across line breaks. */
function lineBlocks(text: string): Span[] {
  const blocks: Span[] = [];
  let blockStart = 0;
  let offset = 0;
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const lineStart = offset;
    const lineEnd = offset + line.length;
    const next = lines[i + 1];
    const breakAfter =
      next === undefined ||
      !line.trim() ||
      !next.trim() ||
      HEADER_LINE.test(line) ||
      LIST_ITEM.test(next) ||
      HEADER_LINE.test(next) ||
      /^\s*[A-Z][A-Za-z /&]{1,40}:/.test(next) ||
      (ENDS_SENTENCE.test(line) && !NUMBER_ONLY.test(line) && STARTS_SENTENCE.test(next) && !ENDS_WITH_ABBREVIATION.test(line.trimEnd()));
    if (LIST_ITEM.test(line) && lineStart > blockStart) {
      blocks.push({ start: blockStart, end: lineStart });
      blockStart = lineStart;
    }
    if (breakAfter) {
      blocks.push({ start: blockStart, end: lineEnd });
      blockStart = lineEnd + 1;
    }
    offset = lineEnd + 1;
  });
  return blocks;
}

export function splitSentences(text: string): Span[] {
  const out: Span[] = [];
  for (const block of lineBlocks(text)) {
    const slice = text.slice(block.start, block.end);
    for (const node of split(slice)) {
      if (node.type !== 'Sentence') continue;
      const span = trimmed(text, block.start + node.range[0], block.start + node.range[1]);
      if (!span) continue;
      const previous = out.at(-1);
      const joins =
        previous && previous.end >= block.start && /^[a-z]/.test(text[span.start]!) && ENDS_WITH_ABBREVIATION.test(text.slice(previous.start, previous.end));
      if (previous && joins) out[out.length - 1] = { start: previous.start, end: span.end };
      else out.push(span);
    }
  }
  return out;
}
