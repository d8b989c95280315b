// Mention extraction: the phrases a coder would look up — a run of words inside a sentence, bounded by punctuation,
// context triggers and breaker words (mentionRules.json), that contains a clinical head word from the lexicon the
// caller supplies (the Alphabetic Index's main terms, stemmed). Acuity, laterality, type and stage are read off
// the phrase. Every mention is a span into the note and becomes a retrieval query.
import RULES from './mentionRules.json';
import type { Trigger } from './context';
import { normalizeClinicalText } from './normalize';
import type { Span } from './span';

export type MentionKind = 'problem' | 'procedure' | 'finding';

export interface MentionModifiers {
  readonly acuity?: string;
  readonly laterality?: string;
  readonly type?: string;
  readonly stage?: string;
}

export interface Mention extends Span {
  readonly text: string;
  readonly kind: MentionKind;
  readonly modifiers: MentionModifiers;
}

const BREAKERS = new Set(RULES.breakers);
const PROCEDURE_WORDS = new Set(RULES.procedureWords);
const FINDING_WORDS = new Set(RULES.findingWords);
const NOT_HEADS = new Set(RULES.notHeads);
const WORD = /[A-Za-z0-9][A-Za-z0-9/'-]*/g;
const HARD_BREAK = /[,;:()[\]]|\.(\s|$)/;
const EDGE_WORDS = new Set(['in', 'with', 'of', 'on', 'at', 'for', 'and', 'or']);
/** "stenosis in the right pyeloureteral junction": a determiner after a preposition continues the phrase. */
const DETERMINERS = new Set(['the', 'a', 'an']);
const AGE = /^\d+-(?:year|yr|month|week|day)s?-old$/i;

const MODIFIERS: readonly (readonly [keyof MentionModifiers, RegExp])[] = [
  ['acuity', /\b(acute on chronic|acute|chronic|subacute|recurrent|exacerbation)\b/i],
  ['laterality', /\b(bilateral|left|right)\b/i],
  ['type', /\b(type\s*(?:1|2|i|ii)|dm\s*[12])\b/i],
  ['stage', /\b(stage\s*(?:[0-5]|[iv]+)[ab]?|grade\s*[0-4])\b/i],
];

function modifiersOf(text: string): MentionModifiers {
  const out: Record<string, string> = {};
  for (const [name, pattern] of MODIFIERS) {
    const match = pattern.exec(text);
    if (match) out[name] = match[1]!.toLowerCase();
  }
  return out;
}

function kindOf(words: readonly string[]): MentionKind {
  const lower = words.map((w) => w.toLowerCase());
  if (lower.some((w) => PROCEDURE_WORDS.has(w) || RULES.procedureSuffixes.some((s) => w.endsWith(s)))) return 'procedure';
  if (lower.some((w) => FINDING_WORDS.has(w))) return 'finding';
  return 'problem';
}

export interface MentionInput {
  readonly text: string;
  readonly sentence: Span;
  /** Stemmed clinical head words (lower case). */
  readonly lexicon: ReadonlySet<string>;
  readonly triggers?: readonly Trigger[];
  /** Spans that are never part of a mention (section headers). */
  readonly excluded?: readonly Span[];
}

/** A head word, directly or through its abbreviation's expansion (CHF → heart failure). */
const isHead = (word: string, lexicon: ReadonlySet<string>): boolean =>
  !NOT_HEADS.has(word.toLowerCase()) && normalizeClinicalText(word).tokens.some((token) => lexicon.has(token));

export function extractMentions(input: MentionInput): Mention[] {
  const { text, sentence } = input;
  const blocked: readonly Span[] = [...(input.triggers ?? []), ...(input.excluded ?? [])];
  const mentions: Mention[] = [];
  let run: { start: number; end: number; words: string[] }[] = [];
  const flush = () => {
    while (run.length && EDGE_WORDS.has(run[0]!.words[0]!.toLowerCase())) run.shift();
    while (run.length && EDGE_WORDS.has(run.at(-1)!.words[0]!.toLowerCase())) run.pop();
    const words = run.map((w) => w.words[0]!);
    if (run.length && words.some((w) => isHead(w, input.lexicon))) {
      const start = run[0]!.start;
      const end = run.at(-1)!.end;
      const phrase = text.slice(start, end);
      mentions.push({ start, end, text: phrase, kind: kindOf(words), modifiers: modifiersOf(phrase) });
    }
    run = [];
  };
  const slice = text.slice(sentence.start, sentence.end);
  let previousEnd = sentence.start;
  for (const match of slice.matchAll(WORD)) {
    const start = sentence.start + match.index!;
    const end = start + match[0].length;
    if (HARD_BREAK.test(text.slice(previousEnd, start))) flush();
    previousEnd = end;
    const word = match[0];
    const lower = word.toLowerCase();
    const determinerAfterPreposition = DETERMINERS.has(lower) && run.length > 0 && EDGE_WORDS.has(run.at(-1)!.words[0]!.toLowerCase());
    if (determinerAfterPreposition) continue;
    if (BREAKERS.has(lower) || AGE.test(word) || blocked.some((t) => start < t.end && t.start < end)) {
      flush();
      continue;
    }
    run.push({ start, end, words: [word] });
  }
  flush();
  return mentions;
}
