// The judge's training rows: training documents coded by the coder with their out-of-fold probabilities (what the
// ranker says of a document it never learned from), the uncertain ones asked of the model exactly as inference asks
// them. A row per candidate; the judged ones carry the model's lift. Nothing of the note's text is kept.
import type { JudgeBlend } from '../../../engine/coder/judgeBlend';
import { modelLift } from '../../../engine/coder/judgeBlend';
import type { CoderSystem } from '../../../engine/coder/model';
import type { ProcessedEncounter } from '../../../engine/encounter/processEncounter';
import type { Llm } from '../../../engine/ports';
import type { CodeBook } from '../../../engine/suggest/codeBook';
import { JUDGE_PROMPT_VERSION } from '../../../engine/suggest/judgePrompt';
import { judgeUncertain } from '../../../engine/suggest/judgeUncertain';
import type { EncounterCall } from '../../../engine/suggest/encounterRun';
import { keyOf, poolCandidates, type LearnedCoder, type Pooled } from '../../../engine/suggest/learnedSuggestions';

export interface JudgeRow {
  readonly doc: string;
  readonly system: CoderSystem;
  readonly code: string;
  /** The ranker's out-of-fold probability. */
  readonly p: number;
  readonly threshold: number;
  readonly gold: boolean;
  /** ln(k · model probability), when the model judged it. */
  readonly lift?: number;
}

export interface DocumentRows {
  readonly doc: string;
  readonly rows: JudgeRow[];
  readonly gold: number;
  /** The encounter's one call, when it had uncertain sentences. */
  readonly call?: EncounterCall;
}

export interface RowsInput {
  readonly id: string;
  readonly encounter: ProcessedEncounter;
  readonly gold: Readonly<Record<CoderSystem, ReadonlySet<string>>>;
  readonly outOfFold: Partial<Record<string, Record<string, Record<string, number>>>>;
  readonly coder: LearnedCoder;
  readonly book: CodeBook;
  readonly llm: Llm;
  readonly blend: Omit<JudgeBlend, 'weights' | 'fit' | 'codingModel' | 'llm' | 'schemaVersion' | 'promptVersion'>;
  readonly timeoutMs: number;
}

/** The weights that leave the ranker's probability as it is: the model is asked, its answer only recorded. */
const PASS_THROUGH = { ranker: 1, model: 0, bias: 0 };

/** The document's candidates with their out-of-fold probabilities, most probable first, as inference pools them. */
export function outOfFoldPooled(input: Pick<RowsInput, 'id' | 'encounter' | 'coder' | 'outOfFold'>): Pooled[] {
  return poolCandidates(input.encounter, input.coder)
    .pooled.flatMap((p) => {
      const oof = input.outOfFold[p.system]?.[input.id]?.[p.code];
      return oof === undefined ? [] : [{ ...p, probability: oof }];
    })
    .sort((a, b) => b.probability - a.probability || a.code.localeCompare(b.code));
}

export async function judgeRows(input: RowsInput): Promise<DocumentRows> {
  const pooled = outOfFoldPooled(input);
  const outcome = await judgeUncertain({
    encounter: input.encounter,
    pooled,
    coder: input.coder,
    book: input.book,
    blend: {
      ...input.blend,
      schemaVersion: 2,
      promptVersion: JUDGE_PROMPT_VERSION,
      llm: input.llm.model,
      codingModel: input.coder.version,
      weights: PASS_THROUGH,
      fit: {},
    },
    llm: input.llm,
    signal: AbortSignal.timeout(input.timeoutMs),
  });
  const rows = pooled.map((p): JudgeRow => {
    const judged = outcome.judged.get(keyOf(p));
    return {
      doc: input.id,
      system: p.system,
      code: p.code,
      p: p.probability,
      threshold: input.coder.systems[p.system]!.model.ranker.threshold,
      gold: input.gold[p.system].has(p.code),
      ...(judged ? { lift: Number(modelLift(judged.modelProbability, judged.options).toFixed(5)) } : {}),
    };
  });
  return {
    doc: input.id,
    rows,
    gold: input.gold.icd10cm.size + input.gold.icd10pcs.size,
    ...(outcome.call ? { call: outcome.call } : {}),
  };
}
