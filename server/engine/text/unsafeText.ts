// Text a note must not be coded from: code strings written into it ("Z99.89", "0DTJ4ZZ") and text addressed to a
// model (instructions, chat-role markers, prompt delimiters, JSON that looks like an answer). A code written in a
// note is not documentation of a condition, and a note is data, never instructions. Such passages are blanked (same
// length, so every other range stays exact) before the note is read, and reported.
import type { Span } from './span';

export type UnsafeKind = 'code-string' | 'model-instruction';

export interface UnsafeSpan extends Span {
  readonly kind: UnsafeKind;
}

const PATTERNS: readonly { readonly kind: UnsafeKind; readonly pattern: RegExp }[] = [
  // ICD-10-CM with its dot (E11.9, Z99.89, S52.301A); ICD-10-PCS: seven characters, at least three digits.
  { kind: 'code-string', pattern: /(?<![A-Za-z0-9])[A-TV-Z][0-9][0-9AB]\.[0-9A-Z]{1,4}(?![A-Za-z0-9])/g },
  { kind: 'code-string', pattern: /(?<![A-Za-z0-9])(?=(?:[A-HJ-NP-Z]*[0-9]){3})(?=[0-9]*[A-HJ-NP-Z])[0-9A-HJ-NP-Z]{7}(?![A-Za-z0-9])/g },
  // JSON that looks like an answer: an object holding a "code" or "codes" key.
  { kind: 'model-instruction', pattern: /\{[^{}]{0,400}"(?:code|codes|icd10|answer)"\s*:[^{}]{0,400}\}/gi },
  { kind: 'model-instruction', pattern: /\b(?:ignore|disregard|forget)\b[^.\n]{0,40}\b(?:instructions?|prompt|rules|above)\b[^.\n]*/gi },
  { kind: 'model-instruction', pattern: /<\|[a-z_]{2,20}\|>|\[\/?INST\]|<\/?(?:system|assistant|user)>|^#{2,3}\s*(?:instruction|response|system)\b.*$/gim },
  { kind: 'model-instruction', pattern: /^\s*(?:system|assistant)\s*:.*$/gim },
  { kind: 'model-instruction', pattern: /\byou are (?:an?|the) (?:ai|assistant|language model|coding model|coder)\b[^.\n]*/gi },
];

/** The passages to leave unread, in order, overlapping ones merged. */
export function findUnsafeText(text: string): UnsafeSpan[] {
  const found = PATTERNS.flatMap(({ kind, pattern }) => [...text.matchAll(pattern)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, kind })));
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: UnsafeSpan[] = [];
  for (const span of found) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end)
      merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, span.end), kind: last.kind === 'model-instruction' ? last.kind : span.kind };
    else merged.push(span);
  }
  return merged;
}

/** The text with those passages blanked: spaces of the same length, line breaks kept. */
export function blankUnsafeText(text: string, spans: readonly Span[]): string {
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + text.slice(s.start, s.end).replace(/[^\n]/g, ' ');
    at = s.end;
  }
  return out + text.slice(at);
}
