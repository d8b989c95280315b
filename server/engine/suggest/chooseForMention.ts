// One mention → one chosen code, the way the mode says: the best documented candidate (retrieval), or the model's
// pick among the candidates (rag, ft+rag; retrieval ranking when the model fails). ft codes a whole encounter from
// memory in one call (suggestFromMemory) and never comes here.
import type { Llm } from '../ports';
import { SYSTEM_NAMES, type CodeSystemKey } from '../retrieve/knowledgeDoc';
import { chooseCode } from './chooseCode';
import type { CodableMention } from './codableMentions';
import { codeProbability, retrievalConfidence } from './confidence';
import type { RankedCandidate } from './documentedRank';
import { buildPrompt, type Prompt, type PromptGuidance } from './prompt';
import type { ConfidenceBasis, SuggestMode } from './suggestion';

export interface ChoiceInput {
  readonly mode: Exclude<SuggestMode, 'ft'>;
  readonly mention: CodableMention;
  readonly ranked: readonly RankedCandidate[];
  readonly setting: string;
  readonly fiscalYear: number | undefined;
  readonly window: string;
  readonly guidance: readonly PromptGuidance[];
  readonly llm?: Llm;
  /** Key tabular notes of a candidate (Excludes1, Use additional code…), shown after its title. */
  readonly notesOf?: (candidate: RankedCandidate) => readonly string[];
  readonly modelTimeoutMs: number;
  readonly signal?: AbortSignal;
}

export type MentionChoice =
  | {
      readonly state: 'chosen';
      readonly system: CodeSystemKey;
      readonly code: string;
      readonly candidate?: RankedCandidate;
      readonly quote?: string;
      readonly citation?: string;
      readonly rationale: string;
      readonly confidence: number;
      readonly basis: ConfidenceBasis;
      readonly model?: string;
      readonly modelMs: number;
      /** Why the model's answer was not used. */
      readonly modelFailure?: string;
    }
  | { readonly state: 'none'; readonly reason: string; readonly modelMs: number; readonly modelFailure?: string };

function byRetrieval(input: ChoiceInput, modelMs = 0, modelFailure?: string): MentionChoice {
  const top = input.ranked[0];
  if (!top) return { state: 'none', reason: 'retrieval found no code for the mention', modelMs, ...(modelFailure ? { modelFailure } : {}) };
  const via = top.sources[0]?.via ?? top.title;
  return {
    state: 'chosen',
    system: top.system,
    code: top.code,
    candidate: top,
    rationale: `Best documented retrieval candidate; matched "${via}".`,
    confidence: retrievalConfidence(input.ranked),
    basis: 'retrieval-score',
    modelMs,
    ...(modelFailure ? { modelFailure } : {}),
  };
}

/** Per candidate: the index path that led to it, its key tabular note, and whether the encounter picks a 7th character. */
function details(ranked: readonly RankedCandidate[], notes: (c: RankedCandidate) => readonly string[]): Map<string, string[]> {
  return new Map(
    ranked.map((c) => [
      c.code,
      [
        ...c.sources
          .filter((s) => s.docId.includes(':index:'))
          .slice(0, 1)
          .map((s) => `index: ${s.via.split('→')[0]!.trim()}`),
        ...notes(c).slice(0, 1),
        ...(c.needsSeventh ? ['7th character from the encounter'] : []),
      ],
    ]),
  );
}

/** The prompt of a mention's choice: the one inference sends and training learns from. */
export function promptFor(input: Omit<ChoiceInput, 'llm' | 'modelTimeoutMs' | 'signal'>): Prompt {
  const system = input.ranked[0]?.system ?? input.mention.systems[0]!;
  return buildPrompt({
    setting: input.setting,
    fiscalYear: input.fiscalYear,
    mention: input.mention.text,
    context: input.mention.context,
    window: input.window,
    candidates: input.ranked,
    guidance: input.guidance,
    details: details(input.ranked, input.notesOf ?? (() => [])),
    system: SYSTEM_NAMES[system],
  });
}

/** A timeout of its own for the model call, also ended by the caller's signal. */
function timeoutSignal(ms: number, parent: AbortSignal | undefined): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`the model did not answer within ${ms} ms`)), ms);
  const onAbort = () => controller.abort(parent?.reason);
  parent?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    done: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onAbort);
    },
  };
}

export async function chooseForMention(input: ChoiceInput): Promise<MentionChoice> {
  if (input.mode === 'retrieval') return byRetrieval(input);
  if (!input.llm) return byRetrieval(input, 0, 'no model configured');
  if (input.ranked.length === 0) return { state: 'none', reason: 'retrieval found no code for the mention', modelMs: 0 };
  const prompt = promptFor(input);
  const allowed = input.ranked.map((c) => c.code);
  const timeout = timeoutSignal(input.modelTimeoutMs, input.signal);
  const choice = await chooseCode(input.llm, prompt, allowed, timeout.signal).finally(timeout.done);
  if (choice.state === 'failed') return byRetrieval(input, choice.tookMs, choice.reason);
  const candidate = input.ranked.find((c) => c.code === choice.answer.code);
  const probability = choice.tokens ? codeProbability(choice.tokens, choice.answer.code, allowed) : undefined;
  return {
    state: 'chosen',
    system: candidate?.system ?? input.ranked[0]!.system,
    code: choice.answer.code,
    ...(candidate ? { candidate } : {}),
    quote: choice.answer.quote,
    citation: choice.answer.citation,
    rationale: choice.answer.rationale,
    confidence: probability ?? 0.5,
    basis: probability !== undefined ? 'model-logprob' : 'unavailable',
    model: choice.model,
    modelMs: choice.tookMs,
  };
}
