// The model where it helps: after the ranker has scored an encounter's candidates, the model judges the ones the
// ranker is unsure of (within the blend's band of the threshold) and their rivals of one category, one call per
// sentence that holds them, and its answer's log-probabilities are blended into their probability. Calls go in
// note order, so each note's text is read once and served from Ollama's prompt cache after that. Every call ends
// with the encounter's deadline or the caller's cancellation; what was not judged keeps the ranker's probability.
import { categoryOfCode, evidenceSpans } from '../coder/features';
import { blendedProbability, modelLift, type JudgeBlend } from '../coder/judgeBlend';
import type { ProcessedEncounter } from '../encounter/processEncounter';
import type { Llm, LlmUsage } from '../ports';
import type { CodeBook } from './codeBook';
import { valueDistribution } from './confidence';
import { judgePrompt, NONE, type JudgedCandidate } from './judgePrompt';
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
  blend: Pick<JudgeBlend, 'band' | 'maxPerSentence' | 'maxCalls'>,
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
    .slice(0, blend.maxCalls)
    .sort((a, b) => a.noteIndex - b.noteIndex || a.sentence - b.sentence || a.system.localeCompare(b.system));
}

export interface JudgeInput {
  readonly encounter: ProcessedEncounter;
  readonly pooled: readonly Pooled[];
  readonly coder: LearnedCoder;
  readonly book: CodeBook;
  readonly blend: JudgeBlend;
  readonly llm: Llm;
  /** Ends every call: the encounter's deadline for the model, or the caller's cancellation. */
  readonly signal: AbortSignal;
}

export interface JudgeCall {
  readonly group: SentenceGroup;
  /** Each candidate's share of the answer, and "none"'s. */
  readonly distribution?: ReadonlyMap<string, number>;
  readonly tookMs: number;
  readonly usage?: LlmUsage;
  readonly failure?: string;
}

export interface JudgeOutcome {
  readonly judged: Map<string, JudgedProbability>;
  readonly calls: readonly JudgeCall[];
  /** Sentences the deadline or a cancellation left unasked. */
  readonly unasked: number;
  readonly model?: string;
}

function candidateOf(input: JudgeInput, p: Pooled): JudgedCandidate {
  const system = input.coder.systems[p.system]!;
  const { noteIndex, hits } = p.notes[0]!;
  const text = input.encounter.notes[noteIndex]!.text;
  const matched = evidenceSpans(hits)
    .slice(0, 1)
    .map((s) => `"${text.slice(s.start, s.end)}"`);
  const entry = system.dictionary.entries[hits[0]!.entry]!;
  return {
    code: p.code,
    title: input.book.catalog(p.system).lookup(p.code)?.title ?? p.code,
    details: [`matched ${matched.join(', ')}`, ...(entry.source !== 'evidence' && entry.label ? [`index: ${entry.label}`] : [])],
  };
}

async function ask(input: JudgeInput, group: SentenceGroup): Promise<JudgeCall & { model?: string }> {
  const note = input.encounter.notes[group.noteIndex]!;
  const sentence = note.processed.sentences[group.sentence]!;
  const prompt = judgePrompt({
    note: note.text,
    sentence,
    system: group.system === 'icd10pcs' ? 'ICD-10-PCS' : 'ICD-10-CM',
    candidates: group.candidates.map((p) => candidateOf(input, p)),
  });
  const allowed = [...group.candidates.map((p) => p.code), NONE];
  const started = Date.now();
  try {
    const answer = await input.llm.complete({ ...prompt, maxTokens: 16, topLogprobs: 20 }, input.signal);
    const distribution = answer.tokens ? valueDistribution(answer.tokens, allowed) : undefined;
    const base = { group, tookMs: answer.tookMs, model: answer.model, ...(answer.usage ? { usage: answer.usage } : {}) };
    return distribution ? { ...base, distribution } : { ...base, failure: 'the model gave no log-probabilities for an allowed code' };
  } catch (err) {
    const reason = input.signal.aborted ? String((input.signal.reason as Error | undefined)?.message ?? input.signal.reason) : (err as Error).message;
    return { group, tookMs: Date.now() - started, failure: reason };
  }
}

export async function judgeUncertain(input: JudgeInput): Promise<JudgeOutcome> {
  const groups = uncertainGroups(input.pooled, (system) => input.coder.systems[system]!.model.ranker.threshold, input.blend);
  const judged = new Map<string, JudgedProbability>();
  const calls: JudgeCall[] = [];
  let model: string | undefined;
  for (const group of groups) {
    if (input.signal.aborted) break;
    const call = await ask(input, group);
    calls.push(call);
    model ??= call.model;
    if (!call.distribution) continue;
    const options = group.candidates.length + 1;
    for (const p of group.candidates) {
      const modelProbability = call.distribution.get(p.code) ?? 0;
      judged.set(keyOf(p), {
        probability: blendedProbability(input.blend, p.probability, modelLift(modelProbability, options)),
        rankerProbability: p.probability,
        modelProbability,
        options,
      });
    }
  }
  return { judged, calls, unasked: groups.length - calls.length, ...(model ? { model } : {}) };
}
