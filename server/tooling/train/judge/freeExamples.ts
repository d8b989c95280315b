// The adapter's training examples for ft: a training document's sentences with codable mentions, chosen exactly as
// inference chooses them (memorySites), in exactly the ft prompt. The target gives each sentence the gold code the
// coder found evidence for in it (the most probable, when several), or none. Alphabetic Index paths, in the same
// format, teach term → code.
import type { CodeBook } from '../../../engine/suggest/codeBook';
import { selectMentions } from '../../../engine/suggest/codableMentions';
import { memorySites, systemKeyOf, type MemorySite } from '../../../engine/suggest/codeFromMemory';
import { freePrompt, NO_CODE, type FreeSentence } from '../../../engine/suggest/freePrompt';
import { answerKey } from '../../../engine/suggest/judgePrompt';
import { poolCandidates, type LearnedCoder, type Pooled } from '../../../engine/suggest/learnedSuggestions';
import type { ExampleInput, TunedExample } from './judgeExamples';
import { indexPicks } from './judgeExamples';

export type FreeExample = TunedExample<'free'>;

export interface FreeExampleCounts {
  documents: number;
  /** Documents without a sentence to ask: no example. */
  nothingToAsk: number;
  sentences: number;
  /** Sentences answered with a gold code; the rest are answered none. */
  goldCode: number;
}

export const noFreeExamples = (): FreeExampleCounts => ({ documents: 0, nothingToAsk: 0, sentences: 0, goldCode: 0 });

const holds = (p: Pooled, site: MemorySite) => p.notes.some((n) => n.noteIndex === site.noteIndex && n.hits.some((h) => h.sentence === site.sentenceIndex));

/** The gold code the coder found evidence for in the site's sentence, most probable first. */
function goldCodeOf(pooled: readonly Pooled[], site: MemorySite, gold: ExampleInput['gold']): string | undefined {
  const system = systemKeyOf(site.sentence.system);
  return pooled.find((p) => p.system === system && gold[system].has(p.code) && holds(p, site))?.code;
}

export function freeExample(input: Pick<ExampleInput, 'id' | 'encounter' | 'coder' | 'gold'>, counts: FreeExampleCounts): FreeExample | undefined {
  counts.documents++;
  const { sites } = memorySites(input.encounter, selectMentions(input.encounter).codable);
  if (!sites.length) {
    counts.nothingToAsk++;
    return undefined;
  }
  const pooled = poolCandidates(input.encounter, input.coder).pooled;
  const target: Record<string, string> = {};
  sites.forEach((site, i) => {
    const code = goldCodeOf(pooled, site, input.gold);
    target[answerKey(i)] = code ?? NO_CODE;
    counts.sentences++;
    if (code) counts.goldCode++;
  });
  return freeExampleOf(
    `${input.id}#free`,
    input.id,
    sites.map((s) => s.sentence),
    target,
  );
}

function freeExampleOf(id: string, docId: string, sentences: readonly FreeSentence[], target: Record<string, string>): FreeExample {
  const prompt = freePrompt(sentences, 'code-or-none');
  return { id, docId, variant: 'free', system: prompt.system, user: prompt.user, schema: prompt.schema, target, templateVersion: prompt.templateVersion };
}

/** Alphabetic Index term → code in the ft format: each "sentence" an Index path without its code. */
export function freeIndexExamples(coder: LearnedCoder, book: CodeBook, count: number, seed: number): FreeExample[] {
  return indexPicks(coder, book, count, seed).map((picks, e) => {
    const target = Object.fromEntries(picks.map((p, i) => [answerKey(i), p.code]));
    const sentences = picks.map((p): FreeSentence => ({ text: p.path, focus: { start: 0, end: p.path.length }, system: 'ICD-10-CM' }));
    return freeExampleOf(`index-free:${e}`, `index-free:${e}`, sentences, target);
  });
}
