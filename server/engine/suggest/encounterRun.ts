// What every coding path of an encounter shares: the model's deadline, the fiscal-year note, the patient the rules read.
import type { ProcessedEncounter } from '../encounter/processEncounter';
import type { CodeBook } from './codeBook';

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
