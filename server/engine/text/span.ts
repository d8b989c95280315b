// Character ranges into a source text: `text.slice(start, end)` is always the span's text.
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** The span shrunk to exclude leading and trailing whitespace; undefined when nothing is left. */
export function trimmed(text: string, start: number, end: number): Span | undefined {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return end > start ? { start, end } : undefined;
}
