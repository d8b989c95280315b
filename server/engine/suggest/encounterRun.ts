// What every coding path of an encounter shares: the model's deadline, its one call's record, the fiscal-year note,
// the patient the rules read.
import type { ProcessedEncounter } from '../encounter/processEncounter';
import type { LlmAnswer, LlmUsage } from '../ports';
import type { CodeBook } from './codeBook';

/** The encounter's one model call (the judge's or ft's), when it had sentences to ask. */
export interface EncounterCall {
  readonly sentences: number;
  readonly tookMs: number;
  readonly usage?: LlmUsage;
  readonly failure?: string;
}

/** Why a call failed: the deadline's or the caller's reason when the signal ended it, else the error's message. */
export const callFailure = (signal: AbortSignal, err: unknown): string =>
  signal.aborted ? String((signal.reason as Error | undefined)?.message ?? signal.reason) : (err as Error).message;

/** The record of a call that answered: a sentence its answer left without a value (`missing`: a letter, a code)
 * makes it a partial failure. */
export const answeredCall = (answer: Pick<LlmAnswer, 'tookMs' | 'usage'>, sentences: number, unanswered: number, missing: string): EncounterCall => ({
  sentences,
  tookMs: answer.tookMs,
  ...(answer.usage ? { usage: answer.usage } : {}),
  ...(unanswered ? { failure: `the model's answer gave no ${missing} for ${unanswered} of ${sentences} sentences` } : {}),
});

/** A result's model counts from the encounter's one call. */
export const callStats = (call: EncounterCall | undefined) => ({
  modelCalls: call ? 1 : 0,
  modelFailures: call?.failure ? 1 : 0,
  modelMs: call?.tookMs ?? 0,
});

/** Said when the encounter's fiscal year is not the code set's. */
export const fiscalYearNote = (view: ProcessedEncounter['view'], book: CodeBook): string | undefined =>
  view.encounter.fiscalYear !== undefined && view.encounter.fiscalYear !== book.fy
    ? `the encounter is in FY${view.encounter.fiscalYear}; coded with the FY${book.fy} code set`
    : undefined;

export const patientOf = (view: ProcessedEncounter['view']) => ({
  ...(view.patient?.ageAtService !== undefined ? { ageAtService: view.patient.ageAtService } : {}),
  ...(view.patient?.sex ? { sex: view.patient.sex } : {}),
});

/** The encounter's deadline for the model, also ended by the caller's cancellation. */
export function modelDeadline(options: { readonly modelTimeoutMs?: number; readonly signal?: AbortSignal }): { signal: AbortSignal; done: () => void } {
  const budgetMs = options.modelTimeoutMs ?? 60_000;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error(`the encounter's ${budgetMs / 1000} s for the model were used up`)), budgetMs);
  const cancel = () => deadline.abort(options.signal?.reason ?? new Error('cancelled'));
  if (options.signal?.aborted) cancel();
  else options.signal?.addEventListener('abort', cancel, { once: true });
  return {
    signal: deadline.signal,
    done: () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', cancel);
    },
  };
}
