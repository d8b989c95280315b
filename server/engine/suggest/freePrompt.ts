// The ft prompt for one encounter: the tuned model codes from memory, with no retrieved candidates. Its sentences
// with codable mentions, numbered, each cut to a window around the mentions and naming its code system; the schema
// asks for one code per sentence ("1": "I50.9", …), constrained only to the shape of a code of that system, so the
// answer shows what the model knows and verification drops what does not exist. The training examples may also
// answer "none"; inference leaves "none" out of the grammar, because with it the tuned model answered none for 229
// of 231 sentences of 30 training documents it never learned from (docs/model-judge.md).
import type { Prompt } from './prompt';
import { answerKey, quotedSentence, sentenceWindow } from './judgePrompt';
import TEMPLATE from './freeTemplate.json';

export const NO_CODE = 'none';

export type FreeSystem = 'ICD-10-CM' | 'ICD-10-PCS';

export interface FreeSentence {
  readonly text: string;
  /** The codable mentions' range within `text`: the window is centred on it. */
  readonly focus: { readonly start: number; readonly end: number };
  readonly system: FreeSystem;
}

/** The shape of a code of each system (ICD-10-CM with its dot; ICD-10-PCS, seven characters without I and O). */
export const FREE_CODE_SHAPE: Record<FreeSystem, string> = {
  'ICD-10-CM': '[A-Z][0-9][0-9A-Z](\\.[0-9A-Z]{1,4})?',
  'ICD-10-PCS': '[0-9A-HJ-NP-Z]{7}',
};

/** What a sentence may be answered with: a code of its system, or also none (the training examples' targets). */
export type FreeAnswers = 'code' | 'code-or-none';

export const freeAnswerPattern = (system: FreeSystem, answers: FreeAnswers): string =>
  `^(${FREE_CODE_SHAPE[system]}${answers === 'code-or-none' ? `|${NO_CODE}` : ''})$`;

const sentenceLine = (sentence: FreeSentence, index: number): string =>
  `${answerKey(index)}. ${sentence.system}: "${quotedSentence(sentenceWindow(sentence.text, sentence.focus))}"`;

export function freePrompt(sentences: readonly FreeSentence[], answers: FreeAnswers): Prompt {
  const properties = Object.fromEntries(sentences.map((s, i) => [answerKey(i), { type: 'string', pattern: freeAnswerPattern(s.system, answers) }]));
  return {
    system: TEMPLATE.system,
    user: TEMPLATE.user.replace('{{sentences}}', sentences.map(sentenceLine).join('\n')),
    schema: { type: 'object', properties, required: Object.keys(properties) },
    templateVersion: TEMPLATE.version,
  };
}

/** One sentence's answer: its code, or undefined for none or a value that is not a code of its system. */
export function freeAnswerOf(value: unknown, system: FreeSystem): string | undefined {
  if (typeof value !== 'string' || value === NO_CODE) return undefined;
  return new RegExp(`^${FREE_CODE_SHAPE[system]}$`).test(value) ? value : undefined;
}

export const FREE_PROMPT_VERSION = TEMPLATE.version;
