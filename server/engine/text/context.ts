// Assertion context, ConText-style (Harkema et al. 2009, after NegEx): triggers from contextRules.json open a scope
// forward, backward or both, up to a termination term or the sentence's edge; a mention inside a scope takes that
// trigger's category. Pseudo-triggers ("no increase") hide the triggers they overlap. Every modifier records the
// trigger that fired, so a coder can see why a mention counts as negated.
import RULES from './contextRules.json';
import type { Span } from './span';

export type AssertionCategory = 'negated' | 'possible' | 'historical' | 'family' | 'hypothetical' | 'conditional';
export const ASSERTION_CATEGORIES: readonly AssertionCategory[] = ['negated', 'possible', 'historical', 'family', 'hypothetical', 'conditional'];

/** "self": the trigger negates only its own words ("no known drug allergies") and opens no scope. */
type Direction = 'forward' | 'backward' | 'bidirectional' | 'self';
type RuleCategory = AssertionCategory | 'pseudo' | 'termination';

interface Rule {
  readonly phrase: string;
  readonly category: RuleCategory;
  readonly direction?: Direction;
  /** At most this many words on each side the scope opens to (medspaCy's max_scope); otherwise up to the sentence edge. */
  readonly maxScope?: number;
}

export interface Trigger extends Span {
  readonly category: RuleCategory;
  readonly direction?: Direction;
  readonly maxScope?: number;
  readonly text: string;
}

export interface Modifier {
  readonly category: AssertionCategory;
  /** The words that fired (or the section header, for a Family History section). */
  readonly trigger: Span & { readonly text: string };
}

const RULE_OF = new Map((RULES.rules as Rule[]).map((rule) => [rule.phrase.toLowerCase(), rule]));
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** Word boundaries only where the phrase starts or ends with a letter or digit (";" terminates after any word). */
const bounded = (phrase: string): string =>
  `${/^[a-z0-9]/i.test(phrase) ? '(?<![A-Za-z0-9])' : ''}${escapeRegExp(phrase)}${/[a-z0-9]$/i.test(phrase) ? '(?![A-Za-z0-9])' : ''}`;
const TRIGGER = new RegExp(
  `(${[...RULE_OF.keys()]
    .sort((a, b) => b.length - a.length)
    .map(bounded)
    .join('|')})`,
  'gi',
);

/** Triggers inside a sentence, leftmost-longest, absolute offsets. */
export function findTriggers(text: string, sentence: Span): Trigger[] {
  const slice = text.slice(sentence.start, sentence.end);
  return [...slice.matchAll(TRIGGER)].map((m) => {
    const rule = RULE_OF.get(m[1]!.toLowerCase())!;
    const start = sentence.start + m.index!;
    return {
      start,
      end: start + m[1]!.length,
      category: rule.category,
      text: m[1]!,
      ...(rule.direction ? { direction: rule.direction } : {}),
      ...(rule.maxScope ? { maxScope: rule.maxScope } : {}),
    };
  });
}

const WORD = /[A-Za-z0-9]+/g;

/** How far a trigger's scope may reach: its maxScope-th word after it and before it, else the sentence's edges. */
function wordLimit(text: string, sentence: Span, trigger: Trigger): { forward: number; backward: number } {
  if (!trigger.maxScope) return { forward: sentence.end, backward: sentence.start };
  const after = [...text.slice(trigger.end, sentence.end).matchAll(WORD)];
  const before = [...text.slice(sentence.start, trigger.start).matchAll(WORD)];
  const last = after[trigger.maxScope - 1];
  const first = before[before.length - trigger.maxScope];
  return {
    forward: last ? trigger.end + last.index! + last[0].length : sentence.end,
    backward: first ? sentence.start + first.index! : sentence.start,
  };
}

function scopeOf(trigger: Trigger, triggers: readonly Trigger[], sentence: Span, text: string): Span[] {
  const terminations = triggers.filter((t) => t.category === 'termination');
  const limit = wordLimit(text, sentence, trigger);
  const forward = { start: trigger.end, end: Math.min(limit.forward, ...terminations.filter((t) => t.start >= trigger.end).map((t) => t.start)) };
  const backward = { start: Math.max(limit.backward, ...terminations.filter((t) => t.end <= trigger.start).map((t) => t.end)), end: trigger.start };
  return trigger.direction === 'forward' ? [forward] : trigger.direction === 'backward' ? [backward] : trigger.direction === 'self' ? [] : [forward, backward];
}

const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;

export interface AssertionInput {
  readonly text: string;
  readonly sentence: Span;
  readonly target: Span;
  /** The section the sentence sits in, e.g. "family-history". */
  readonly section?: { readonly name: string; readonly header: Span };
  readonly triggers?: readonly Trigger[];
}

export function assertionsFor(input: AssertionInput): Modifier[] {
  const triggers = input.triggers ?? findTriggers(input.text, input.sentence);
  const modifiers: Modifier[] = [];
  for (const trigger of triggers) {
    if (trigger.category === 'pseudo' || trigger.category === 'termination') continue;
    const governs =
      trigger.direction === 'self'
        ? overlaps(trigger, input.target)
        : !overlaps(trigger, input.target) && scopeOf(trigger, triggers, input.sentence, input.text).some((scope) => overlaps(scope, input.target));
    if (!governs) continue;
    if (modifiers.some((m) => m.category === trigger.category)) continue;
    modifiers.push({ category: trigger.category, trigger: { start: trigger.start, end: trigger.end, text: trigger.text } });
  }
  if (input.section?.name === 'family-history' && !modifiers.some((m) => m.category === 'family')) {
    const header = input.section.header;
    modifiers.push({ category: 'family', trigger: { ...header, text: input.text.slice(header.start, header.end) } });
  }
  return modifiers;
}
