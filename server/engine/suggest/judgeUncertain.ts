// The model where it helps: after the ranker has scored an encounter's candidates, the model judges the ones the
// ranker is unsure of (within the blend's band of the threshold) and their rivals of one category, grouped by the
// sentence that holds them, all in one call per encounter; the log-probabilities of its letter for each sentence are
// blended into the candidates' probabilities. The call ends with the encounter's deadline or the caller's
// cancellation; what was not judged keeps the ranker's probability.
import { categoryOfCode, evidenceSpans } from '../coder/features';
import { blendedProbability, modelLift, type JudgeBlend } from '../coder/judgeBlend';
import type { ProcessedEncounter } from '../encounter/processEncounter';
import type { Llm } from '../ports';
import { answeredCall, callFailure, type EncounterCall } from './encounterRun';
import type { CodeBook } from './codeBook';
import { valueDistribution } from './confidence';
import { answerKey, judgePrompt, lettersOf, type JudgedCandidate, type JudgedSentence } from './judgePrompt';
import type { LearnedCoder, Pooled, JudgedProbability } from './learnedSuggestions';
import { keyOf } from './learnedSuggestions';

export interface SentenceGroup {
  readonly noteIndex: number;
  readonly sentence: number;
  readonly system: Pooled['system'];
  /** Most probable first. */
  readonly candidates: readonly Pooled[];
}

const sentenceOf = (p: Pooled) => ({ noteIndex: p.notes[0]!.noteIndex, sentence: p.notes[0]!.hits[0]!.sentence });

/** The sentences to ask about, in note order: the candidates near the threshold and the rivals of one category. */
export function uncertainGroups(
  pooled: readonly Pooled[],
  thresholdOf: (system: Pooled['system']) => number,
  blend: Pick<JudgeBlend, 'band' | 'maxPerSentence' | 'maxSentences'>,
): SentenceGroup[] {
  const eligible = pooled.filter((p) => p.probability >= thresholdOf(p.system) - blend.band && p.notes[0]?.hits.length);
  const categoryKey = (p: Pooled) => `${p.system}|${categoryOfCode(p.code)}`;
  const perCategory = new Map<string, number>();
  for (const p of eligible) perCategory.set(categoryKey(p), (perCategory.get(categoryKey(p)) ?? 0) + 1);
  const chosen = eligible.filter((p) => p.probability <= thresholdOf(p.system) + blend.band || perCategory.get(categoryKey(p))! > 1);
  const groups = new Map<string, Pooled[]>();
  for (const p of chosen) {
    const { noteIndex, sentence } = sentenceOf(p);
    const key = `${noteIndex}|${sentence}|${p.system}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const doubt = (group: readonly Pooled[]) => Math.min(...group.map((p) => Math.abs(p.probability - thresholdOf(p.system))));
  return [...groups.values()]
    .map((group) => ({ ...sentenceOf(group[0]!), system: group[0]!.system, candidates: group.slice(0, blend.maxPerSentence) }))
    .sort((a, b) => doubt(a.candidates) - doubt(b.candidates))
    .slice(0, blend.maxSentences)
    .sort((a, b) => a.noteIndex - b.noteIndex || a.sentence - b.sentence || a.system.localeCompare(b.system));
}

/** The encounter's uncertain sentences at its coder's thresholds. */
export function coderUncertainGroups(
  pooled: readonly Pooled[],
  coder: LearnedCoder,
  blend: Pick<JudgeBlend, 'band' | 'maxPerSentence' | 'maxSentences'>,
): SentenceGroup[] {
  return uncertainGroups(pooled, (system) => coder.systems[system]!.model.ranker.threshold, blend);
}

export interface JudgeInput {
  readonly encounter: ProcessedEncounter;
  readonly pooled: readonly Pooled[];
  readonly coder: LearnedCoder;
  readonly book: CodeBook;
  readonly blend: JudgeBlend;
  readonly llm: Llm;
  /** Ends the call: the encounter's deadline for the model, or the caller's cancellation. */
  readonly signal: AbortSignal;
}

export interface JudgeOutcome {
  readonly judged: Map<string, JudgedProbability>;
  /** The encounter's one call, when it had uncertain sentences. */
  readonly call?: EncounterCall;
  readonly model?: string;
}

type Reading = Pick<JudgeInput, 'encounter' | 'coder' | 'book'>;

function candidateOf(input: Reading, p: Pooled): JudgedCandidate {
  const { hits } = p.notes[0]!;
  const entry = input.coder.systems[p.system]!.dictionary.entries[hits[0]!.entry]!;
  return {
    code: p.code,
    title: input.book.catalog(p.system).lookup(p.code)?.title ?? p.code,
    ...(entry.source !== 'evidence' && entry.label ? { indexPath: entry.label } : {}),
  };
}

/** What the prompt shows of a group: its sentence's window and its candidates. */
export function judgedSentence(input: Reading, group: SentenceGroup): JudgedSentence {
  const note = input.encounter.notes[group.noteIndex]!;
  const sentence = note.processed.sentences[group.sentence]!;
  const spans = group.candidates.flatMap((p) => evidenceSpans(p.notes[0]!.hits.filter((h) => h.sentence === group.sentence)));
  const start = Math.min(...spans.map((s) => s.start), sentence.end) - sentence.start;
  const end = Math.max(...spans.map((s) => s.end), sentence.start) - sentence.start;
  return {
    text: note.text.slice(sentence.start, sentence.end),
    focus: { start: Math.max(0, start), end: Math.max(start, end) },
    system: group.system === 'icd10pcs' ? 'ICD-10-PCS' : 'ICD-10-CM',
    candidates: group.candidates.map((p) => candidateOf(input, p)),
  };
}

export async function judgeUncertain(input: JudgeInput): Promise<JudgeOutcome> {
  const groups = coderUncertainGroups(input.pooled, input.coder, input.blend);
  const judged = new Map<string, JudgedProbability>();
  if (groups.length === 0) return { judged };
  const sentences = groups.map((g) => judgedSentence(input, g));
  const started = Date.now();
  let answer: Awaited<ReturnType<Llm['complete']>>;
  try {
    // About six tokens per sentence ({"1": "A", …}), with room for the grammar's spacing.
    answer = await input.llm.complete({ ...judgePrompt(sentences), maxTokens: 12 * groups.length + 8, topLogprobs: 20 }, input.signal);
  } catch (err) {
    return { judged, call: { sentences: groups.length, tookMs: Date.now() - started, failure: callFailure(input.signal, err) } };
  }
  let unanswered = 0;
  groups.forEach((group, i) => {
    const letters = lettersOf(sentences[i]!);
    const distribution = answer.tokens ? valueDistribution(answer.tokens, letters, answerKey(i)) : undefined;
    if (!distribution) {
      unanswered++;
      return;
    }
    group.candidates.forEach((p, k) => {
      const modelProbability = distribution.get(letters[k]!) ?? 0;
      judged.set(keyOf(p), {
        probability: blendedProbability(input.blend, p.probability, modelLift(modelProbability, letters.length)),
        rankerProbability: p.probability,
        modelProbability,
        options: letters.length,
      });
    });
  });
  return { judged, call: answeredCall(answer, groups.length, unanswered, 'letter'), model: answer.model };
}
