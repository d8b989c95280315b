// Verifying a model's evidence quote against the note: found verbatim, or found once case and whitespace are
// forgiven, and always returned as the exact range of the note's own characters. A quote that is not there is
// not evidence.
import type { Span } from '../text/span';

export interface LocatedEvidence extends Span {
  /** The note's characters in that range (may differ from the quote in case or spacing). */
  readonly text: string;
  readonly match: 'exact' | 'tolerant';
}

/** The note folded for matching (lower case, runs of whitespace as one space), with each folded char's origin. */
function fold(text: string): { readonly folded: string; readonly origin: readonly number[] } {
  let folded = '';
  const origin: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      if (folded.endsWith(' ') || folded.length === 0) continue;
      folded += ' ';
    } else {
      folded += ch.toLowerCase();
    }
    origin.push(i);
  }
  return { folded, origin };
}

const normalizedQuote = (quote: string): string => quote.trim().replace(/\s+/g, ' ').toLowerCase();

/** The first occurrence at or after `from` (e.g. the mention's sentence), else the first anywhere. */
export function locateEvidence(quote: string, text: string, from = 0): LocatedEvidence | undefined {
  const wanted = quote.trim();
  if (wanted.length < 3) return undefined;
  const exact = text.indexOf(wanted, from) >= 0 ? text.indexOf(wanted, from) : text.indexOf(wanted);
  if (exact >= 0) return { start: exact, end: exact + wanted.length, text: wanted, match: 'exact' };
  const { folded, origin } = fold(text);
  const needle = normalizedQuote(wanted);
  const fromFolded = origin.findIndex((o) => o >= from);
  let at = folded.indexOf(needle, Math.max(0, fromFolded));
  if (at < 0) at = folded.indexOf(needle);
  if (at < 0) return undefined;
  const start = origin[at]!;
  const end = origin[at + needle.length - 1]! + 1;
  return { start, end, text: text.slice(start, end), match: 'tolerant' };
}
