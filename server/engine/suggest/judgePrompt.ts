// The judge's prompt for one sentence: the whole note first (the same text for every call of a note, so Ollama's
// prompt cache serves it after the first), then the sentence, its candidates with what they rest on, and the
// question. The schema's `code` enum is the candidates and "none"; the answer's log-probabilities give each its share.
import TEMPLATE from './judgeTemplate.json';
import type { Prompt } from './prompt';

export const NONE = 'none';

/** Longer notes are cut to this many characters around the sentence (the cache then serves less). */
export const MAX_NOTE_CHARACTERS = 8000;

export interface JudgedCandidate {
  readonly code: string;
  readonly title: string;
  /** What it rests on: the note's matched words, an Index path. */
  readonly details: readonly string[];
}

export interface JudgeQuestion {
  readonly note: string;
  readonly sentence: { readonly start: number; readonly end: number };
  readonly system: 'ICD-10-CM' | 'ICD-10-PCS';
  readonly candidates: readonly JudgedCandidate[];
}

const quoteAsData = (text: string): string => text.replace(/<<<|>>>/g, '« »');

function noteShown(question: JudgeQuestion): string {
  const { note, sentence } = question;
  if (note.length <= MAX_NOTE_CHARACTERS) return note;
  const middle = Math.floor((sentence.start + sentence.end) / 2);
  const start = Math.max(0, Math.min(note.length - MAX_NOTE_CHARACTERS, middle - MAX_NOTE_CHARACTERS / 2));
  return `… ${note.slice(start, start + MAX_NOTE_CHARACTERS)} …`;
}

export function judgePrompt(question: JudgeQuestion): Prompt {
  const candidates = question.candidates.map((c, i) => `${i + 1}. ${c.code} ${c.title}${c.details.length ? ` (${c.details.join('; ')})` : ''}`).join('\n');
  const values: Record<string, string> = {
    note: quoteAsData(noteShown(question)),
    sentence: quoteAsData(question.note.slice(question.sentence.start, question.sentence.end).replace(/\s+/g, ' ').trim()),
    system: question.system,
    candidates,
  };
  return {
    system: TEMPLATE.system,
    user: TEMPLATE.user.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? ''),
    schema: {
      type: 'object',
      properties: { code: { type: 'string', enum: [...question.candidates.map((c) => c.code), NONE] } },
      required: ['code'],
    },
    templateVersion: TEMPLATE.version,
  };
}
