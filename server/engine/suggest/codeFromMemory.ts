// ft: the tuned model alone over the code book, no retrieval. The note's sentences with codable mentions (the
// mention finder's, negated, hypothetical and family mentions already left out) are asked in one call per
// encounter, those with the most mentions first; the model writes one code per sentence from memory. A code written
// for several sentences is kept once, where it was most probable. The call ends with the encounter's deadline or
// the caller's cancellation.
import type { ProcessedEncounter } from '../encounter/processEncounter';
import type { Llm } from '../ports';
import { answeredCall, callFailure, type EncounterCall } from './encounterRun';
import type { CodableMention } from './codableMentions';
import { codeProbability } from './confidence';
import { answerKey } from './judgePrompt';
import { freeAnswerOf, freePrompt, type FreeSentence, type FreeSystem } from './freePrompt';

/** Sentences asked per encounter by default, all in one call. */
export const FREE_SENTENCES = 8;

const FREE_SYSTEMS: Partial<Record<CodableMention['systems'][number], FreeSystem>> = { icd10cm: 'ICD-10-CM', icd10pcs: 'ICD-10-PCS' };

/** The code system key of a sentence's system, as the code book and the gold name it. */
export const systemKeyOf = (system: FreeSystem): 'icd10cm' | 'icd10pcs' => (system === 'ICD-10-PCS' ? 'icd10pcs' : 'icd10cm');

/** One sentence asked: where it is, what the prompt shows, and the mention its code's evidence points at. */
export interface MemorySite {
  readonly noteIndex: number;
  /** Index into the note's sentences. */
  readonly sentenceIndex: number;
  /** The sentence's longest codable mention: the suggestion's evidence and modifiers. */
  readonly mention: CodableMention;
  readonly sentence: FreeSentence;
}

interface Gathered {
  readonly noteIndex: number;
  readonly span: { readonly start: number; readonly end: number };
  readonly system: FreeSystem;
  readonly mentions: CodableMention[];
}

/** The sentences to ask, in note order: at most `max`, those with the most codable mentions first (ICD-10 systems
 * only: ft writes no HCPCS or CPT code); and how many sentences had codable mentions. */
export function memorySites(
  encounter: ProcessedEncounter,
  codable: readonly CodableMention[],
  max = FREE_SENTENCES,
): { readonly sites: MemorySite[]; readonly withMentions: number } {
  const gathered = new Map<string, Gathered>();
  for (const mention of codable) {
    const system = FREE_SYSTEMS[mention.systems[0]!];
    const first = mention.occurrences[0]!;
    if (!system) continue;
    const key = `${first.noteIndex}|${first.mention.sentence.start}|${system}`;
    const group = gathered.get(key) ?? { noteIndex: first.noteIndex, span: first.mention.sentence, system, mentions: [] };
    group.mentions.push(mention);
    gathered.set(key, group);
  }
  const sites = [...gathered.values()]
    .sort((a, b) => b.mentions.length - a.mentions.length || a.noteIndex - b.noteIndex || a.span.start - b.span.start)
    .slice(0, max)
    .sort((a, b) => a.noteIndex - b.noteIndex || a.span.start - b.span.start || a.system.localeCompare(b.system))
    .map((group) => siteOf(encounter, group));
  return { sites, withMentions: gathered.size };
}

function siteOf(encounter: ProcessedEncounter, group: Gathered): MemorySite {
  const note = encounter.notes[group.noteIndex]!;
  const { start, end } = group.span;
  const inSentence = group.mentions.map((m) => m.occurrences[0]!.mention);
  const mention = group.mentions.reduce((longest, m) => (m.text.length > longest.text.length ? m : longest));
  return {
    noteIndex: group.noteIndex,
    sentenceIndex: note.processed.sentences.findIndex((s) => s.start === start),
    mention,
    sentence: {
      text: note.text.slice(start, end),
      focus: { start: Math.min(...inSentence.map((m) => m.start)) - start, end: Math.max(...inSentence.map((m) => m.end)) - start },
      system: group.system,
    },
  };
}

export interface MemoryCode {
  readonly site: MemorySite;
  readonly code: string;
  /** The product of the code's token probabilities (raw: the grammar allowed any code of the right shape). */
  readonly probability?: number;
}

export interface MemoryOutcome {
  readonly codes: readonly MemoryCode[];
  readonly call?: EncounterCall;
  readonly model?: string;
}

function parsed(content: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(content);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The encounter's one ft call over `sites`, and the code each sentence was given. */
export async function codeFromMemory(sites: readonly MemorySite[], llm: Llm, signal: AbortSignal): Promise<MemoryOutcome> {
  if (sites.length === 0) return { codes: [] };
  const started = Date.now();
  let answer: Awaited<ReturnType<Llm['complete']>>;
  try {
    // About ten tokens per sentence ("1": "I50.23",), with room for the grammar's spacing.
    answer = await llm.complete(
      {
        ...freePrompt(
          sites.map((s) => s.sentence),
          'code',
        ),
        maxTokens: 16 * sites.length + 8,
        topLogprobs: 1,
      },
      signal,
    );
  } catch (err) {
    return { codes: [], call: { sentences: sites.length, tookMs: Date.now() - started, failure: callFailure(signal, err) } };
  }
  const values = parsed(answer.content);
  const codes: MemoryCode[] = [];
  let unanswered = 0;
  sites.forEach((site, i) => {
    const value = values?.[answerKey(i)];
    if (value === undefined) unanswered++;
    const code = freeAnswerOf(value, site.sentence.system);
    if (!code) return;
    const probability = answer.tokens ? codeProbability(answer.tokens, code, undefined, answerKey(i)) : undefined;
    const earlier = codes.findIndex((c) => c.code === code);
    const written = { site, code, ...(probability !== undefined ? { probability } : {}) };
    if (earlier < 0) codes.push(written);
    else if ((probability ?? 0) > (codes[earlier]!.probability ?? 0)) codes[earlier] = written;
  });
  return { codes, call: answeredCall(answer, sites.length, unanswered, 'code'), model: answer.model };
}
