// The judge's prompt for one encounter: its uncertain sentences, numbered, each cut to a window around the
// candidates' words, with its candidates lettered (code, title, Index path). The schema asks for one letter per
// sentence ("1": "A", … or "N" for none), a few tokens each, and the log-probabilities at each letter give every
// candidate its share. The fixed instructions come first, so Ollama's prompt cache serves them after the first
// encounter.
import TEMPLATE from './judgeTemplate.json';
import type { Prompt } from './prompt';

export const NONE_LETTER = 'N';
const LETTERS = 'ABCDEFGHIJKLM';
/** Words of a sentence shown around its candidates' evidence. */
export const WINDOW_WORDS = 18;
/** Words of a title or an Index path shown. */
const LABEL_WORDS = 9;

export interface JudgedCandidate {
  readonly code: string;
  readonly title: string;
  /** The Index path it was found by, when it came from the Index. */
  readonly indexPath?: string;
}

export interface JudgedSentence {
  readonly text: string;
  /** The candidates' evidence within `text`: the window is centred on it. */
  readonly focus: { readonly start: number; readonly end: number };
  readonly system: 'ICD-10-CM' | 'ICD-10-PCS';
  readonly candidates: readonly JudgedCandidate[];
}

export const letterOf = (index: number): string => LETTERS[index]!;
export const answerKey = (sentenceIndex: number): string => String(sentenceIndex + 1);
export const lettersOf = (sentence: Pick<JudgedSentence, 'candidates'>): string[] => [...sentence.candidates.map((_, i) => letterOf(i)), NONE_LETTER];

/** A sentence shown as one quoted line: its double quotes made single, its whitespace one space. */
export const quotedSentence = (text: string): string => text.replace(/"/g, "'").replace(/\s+/g, ' ').trim();
const clipWords = (text: string, words: number): string => {
  const all = text.split(/\s+/).filter(Boolean);
  return all.length <= words ? all.join(' ') : `${all.slice(0, words).join(' ')} …`;
};

/** At most `words` words of `text`, centred on `focus`, marked "…" where cut. */
export function sentenceWindow(text: string, focus: { start: number; end: number }, words = WINDOW_WORDS): string {
  const tokens = [...text.matchAll(/\S+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length, word: m[0] }));
  if (tokens.length <= words) return tokens.map((t) => t.word).join(' ');
  const first = Math.max(
    0,
    tokens.findIndex((t) => t.end > focus.start),
  );
  const last = Math.max(
    first,
    tokens.findLastIndex((t) => t.start < focus.end),
  );
  const spare = Math.max(0, words - (last - first + 1));
  const from = Math.max(0, Math.min(tokens.length - words, first - Math.floor(spare / 2)));
  const shown = tokens.slice(from, from + words).map((t) => t.word);
  return `${from > 0 ? '… ' : ''}${shown.join(' ')}${from + words < tokens.length ? ' …' : ''}`;
}

function sentenceBlock(sentence: JudgedSentence, index: number): string {
  const candidates = sentence.candidates.map((c, i) => {
    const index = c.indexPath ? ` [Index: ${clipWords(c.indexPath, LABEL_WORDS)}]` : '';
    return `   ${letterOf(i)}. ${sentence.system} ${c.code} ${clipWords(c.title, LABEL_WORDS)}${index}`;
  });
  return [`${answerKey(index)}. "${quotedSentence(sentenceWindow(sentence.text, sentence.focus))}"`, ...candidates].join('\n');
}

export function judgePrompt(sentences: readonly JudgedSentence[]): Prompt {
  const properties = Object.fromEntries(sentences.map((s, i) => [answerKey(i), { type: 'string', enum: lettersOf(s) }]));
  return {
    system: TEMPLATE.system,
    user: TEMPLATE.user.replace('{{sentences}}', sentences.map(sentenceBlock).join('\n')),
    schema: { type: 'object', properties, required: Object.keys(properties) },
    templateVersion: TEMPLATE.version,
  };
}

/** The prompt template's version a blend was fitted with: a blend for another template is not used. */
export const JUDGE_PROMPT_VERSION = TEMPLATE.version;
