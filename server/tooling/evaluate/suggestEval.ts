// `chartcoder eval`: every mode over the same documents with the same retrieval, results written per document as
// they come (a rerun resumes where it stopped), then scored in two layers — the retriever (candidate recall@k, MRR)
// and the generator (P/R/F1, invalid codes, unsupported evidence, over-coding, near misses, calibration, latency).
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EncounterView } from '../../../fhir';
import { finalResult } from '../../engine/suggest/suggestEncounter';
import type { SuggestMode, SuggestResult } from '../../engine/suggest/suggestion';
import { ChartcoderError } from '../../engine/errors';
import type { Progress } from '../../indexing/progress';
import type { OpenedSuggester as Suggester } from '../../app/openSuggester';

export interface EvalDocument {
  readonly id: string;
  readonly view: EncounterView;
  /** FY-normalized gold diagnosis codes. */
  readonly diagnoses: ReadonlySet<string>;
  /** Gold procedure codes or prefixes. */
  readonly procedures: ReadonlySet<string>;
  /** Where the corpus locates each gold diagnosis's evidence in the evaluated text (comparable code → ranges). */
  readonly goldRegions?: ReadonlyMap<string, readonly (readonly [number, number])[]>;
}

/** One document's outcome in one mode, as stored in partial-<mode>.jsonl. */
export interface DocumentOutcome {
  readonly id: string;
  readonly tookMs: number;
  readonly diagnoses: readonly {
    readonly code: string;
    readonly confidence: number;
    readonly valid: boolean;
    readonly supported: boolean;
    readonly modelQuote: boolean;
    readonly evidence?: readonly (readonly [number, number])[];
    readonly evidenceExact?: boolean;
  }[];
  /** ICD-10-CM codes found only in mentions the guidelines do not let us code from (negated, family…). */
  readonly excludedOnly?: readonly string[];
  readonly procedures: readonly string[];
  readonly candidates: readonly { readonly code: string; readonly offered: boolean; readonly generators?: readonly string[]; readonly excluded?: boolean }[];
  readonly stats: SuggestResult['stats'];
  readonly degradations: readonly string[];
  readonly provenance?: Record<string, unknown>;
}

export const partialPath = (outDir: string, mode: SuggestMode): string => join(outDir, `partial-${mode.replace('+', '-')}.jsonl`);

export function readPartial(path: string): Map<string, DocumentOutcome> {
  const done = new Map<string, DocumentOutcome>();
  if (!existsSync(path)) return done;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const outcome = JSON.parse(line) as DocumentOutcome;
      done.set(outcome.id, outcome);
    } catch {
      // a line cut short by an interrupted run: that document runs again
    }
  }
  return done;
}

export interface RunOptions {
  readonly suggester: Suggester;
  readonly documents: readonly EvalDocument[];
  readonly modes: readonly SuggestMode[];
  readonly outDir: string;
  readonly progress: Progress;
  readonly maxMentions?: number;
  readonly isValid: (system: string, code: string) => boolean;
}

function outcomeOf(doc: EvalDocument, result: SuggestResult, tookMs: number, isValid: RunOptions['isValid']): DocumentOutcome {
  const id = doc.id;
  const first = result.suggestions[0]?.provenance;
  const exact = (s: SuggestResult['suggestions'][number]) =>
    s.evidence.every((e) => doc.view.notes.find((n) => n.id === e.sourceId)?.text.slice(e.start, e.end) === e.text);
  return {
    id,
    tookMs,
    diagnoses: result.suggestions
      .filter((s) => s.kind === 'diagnosis')
      .map((s) => ({
        code: s.code,
        confidence: s.confidence,
        valid: isValid(s.system, s.code),
        supported: s.evidenceState === 'supported',
        modelQuote: s.evidence.some((e) => e.origin === 'model-quote'),
        evidence: s.evidence.map((e) => [e.start, e.end] as const),
        evidenceExact: exact(s),
      })),
    procedures: result.suggestions.filter((s) => s.kind === 'procedure' && s.system === 'icd10pcs').map((s) => s.code),
    candidates: (result.candidates ?? [])
      .filter((c) => c.system === 'icd10cm')
      .map((c) => ({ code: c.code, offered: c.offered, ...(c.generators ? { generators: c.generators } : {}), ...(c.excluded ? { excluded: true } : {}) })),
    stats: result.stats,
    degradations: result.degradations,
    ...(result.excludedOnly ? { excludedOnly: result.excludedOnly.filter((k) => k.startsWith('icd10cm|')).map((k) => k.slice('icd10cm|'.length)) } : {}),
    ...(first ? { provenance: { ...first, createdAt: undefined } } : {}),
  };
}

export interface EvaluationRun {
  readonly outcomes: Map<SuggestMode, DocumentOutcome[]>;
  /** Modes that could not run at all (e.g. no tuned model in Ollama), with the reason. */
  readonly skipped: Map<SuggestMode, string>;
}

/** Runs what is not done yet; returns every mode's outcomes in document order. A mode that cannot start (its model
 * is missing) is skipped with its reason; the other modes still run. */
export async function runEvaluation(options: RunOptions): Promise<EvaluationRun> {
  mkdirSync(options.outDir, { recursive: true });
  const outcomes = new Map<SuggestMode, DocumentOutcome[]>();
  const skipped = new Map<SuggestMode, string>();
  for (const mode of options.modes) {
    try {
      outcomes.set(mode, await runMode(options, mode));
    } catch (err) {
      if (!(err instanceof ChartcoderError) || err.reason !== 'not-found') throw err;
      options.progress.stop();
      skipped.set(mode, err.message);
    }
  }
  return { outcomes, skipped };
}

async function runMode(options: RunOptions, mode: SuggestMode): Promise<DocumentOutcome[]> {
  const path = partialPath(options.outDir, mode);
  const done = readPartial(path);
  options.progress.start(`${mode}: ${done.size ? `resuming after ${done.size} documents` : 'coding'}`, options.documents.length);
  let n = 0;
  for (const doc of options.documents) {
    if (!done.has(doc.id)) {
      const started = Date.now();
      const result = await finalResult(
        options.suggester.suggest(doc.view, { mode, collectCandidates: true, ...(options.maxMentions ? { maxMentions: options.maxMentions } : {}) }),
      );
      const outcome = outcomeOf(doc, result, Date.now() - started, options.isValid);
      appendFileSync(path, JSON.stringify(outcome) + '\n');
      done.set(doc.id, outcome);
    }
    options.progress.update(++n);
  }
  options.progress.stop();
  return options.documents.map((d) => done.get(d.id)!);
}
