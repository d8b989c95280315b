// Code references inside tabular notes: "(N18.1-N18.6)", "(I12.-)", "(E08-E13)", "(Z79.4)". A range matches a code
// when the code, cut to each bound's length, falls between the bounds; "I12.-" is the range I12..I12.
export interface CodeRange {
  readonly from: string;
  readonly to: string;
}

const CODE = String.raw`[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{0,4})?`;
const REF = new RegExp(String.raw`\b(${CODE})(?:\s*-\s*(${CODE})|-)?(?![0-9A-Z])`, 'g');

const clean = (code: string): string => code.replace(/[.-]+$/, '');

export function codeRangesIn(text: string): CodeRange[] {
  return [...text.matchAll(REF)].map((m) => {
    const from = clean(m[1]!);
    return { from, to: m[2] ? clean(m[2]) : from };
  });
}

const cut = (code: string, bound: string): string => code.slice(0, bound.length);

export function inRange(code: string, range: CodeRange): boolean {
  return cut(code, range.from) >= range.from && cut(code, range.to) <= range.to;
}

export const inAnyRange = (code: string, ranges: readonly CodeRange[]): boolean => ranges.some((r) => inRange(code, r));

/** Ranges as codingRules.json writes them: [from, to] pairs. */
export const inAnyPair = (code: string, pairs: readonly (readonly string[])[]): boolean => pairs.some(([from, to]) => inRange(code, { from: from!, to: to! }));
