// Offsets inside a JSON string value: a character of the decoded string ↔ its place in the file, through the
// escapes (`\n`, `\"`, `\u00e9` …), so evidence in an inline note lands on the exact characters of the JSON text.

/**
 * Document offset of each decoded character of the string literal starting at `literalOffset` (its opening quote),
 * plus one entry past the end: `offsets[i]` is where decoded character i begins.
 */
export function decodedToDocumentOffsets(text: string, literalOffset: number, literalLength: number): number[] {
  const offsets: number[] = [];
  const end = literalOffset + literalLength - 1;
  let at = literalOffset + 1;
  while (at < end) {
    offsets.push(at);
    if (text[at] !== '\\') at += 1;
    else at += text[at + 1] === 'u' ? 6 : 2;
  }
  offsets.push(end);
  return offsets;
}

/** The document range of decoded characters [start, end), or undefined when they are outside the string. */
export function documentRangeOf(offsets: readonly number[], start: number, end: number): { start: number; end: number } | undefined {
  if (start < 0 || end < start || end >= offsets.length) return undefined;
  return { start: offsets[start]!, end: offsets[end]! };
}
