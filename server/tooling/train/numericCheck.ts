// The numeric check of an imported adapter: Ollama (base + adapter, quantized weights, llama.cpp) must follow the
// greedy path of the PEFT-merged model in transformers, token for token, wherever transformers is decisive; and the
// base model in Ollama must leave that path somewhere, so the adapter is shown to be in effect. Teacher forcing
// (one step per call, on the reference prefix) keeps one early near-tie from derailing the rest of the comparison.
import type { NumericCheckSummary } from '../../app/modelCard';

export interface ReferenceStep {
  readonly prefix: string;
  readonly piece: string;
  readonly id: number;
  readonly margin: number;
}
export interface ReferenceDecoding {
  readonly text: string;
  readonly steps: readonly ReferenceStep[];
}
export interface ReferencePrompt {
  readonly prompt: string;
  readonly base: ReferenceDecoding;
  readonly tuned: ReferenceDecoding;
}

export type NextToken = (model: string, rawPrompt: string) => Promise<string>;

export interface Mismatch {
  readonly prompt: number;
  readonly step: number;
  readonly expected: string;
  readonly got: string;
  readonly margin: number;
}

export interface NumericCheckResult extends NumericCheckSummary {
  readonly mismatches: readonly Mismatch[];
}

/** Log-probability margin (nats) below which a reference step counts as a near-tie and is not compared. */
export const NEAR_TIE = 0.5;

export async function numericCheck(
  references: readonly ReferencePrompt[],
  next: NextToken,
  models: { readonly tuned: string; readonly base: string },
  tolerance = NEAR_TIE,
): Promise<NumericCheckResult> {
  let comparedTokens = 0,
    agreeing = 0,
    skippedNearTies = 0,
    differsFromBase = false;
  const mismatches: Mismatch[] = [];
  for (const [p, ref] of references.entries()) {
    for (const [k, step] of ref.tuned.steps.entries()) {
      if (step.margin < tolerance) {
        skippedNearTies++;
        continue;
      }
      const got = await next(models.tuned, ref.prompt + step.prefix);
      comparedTokens++;
      if (got === step.piece) agreeing++;
      else mismatches.push({ prompt: p, step: k, expected: step.piece, got, margin: step.margin });
    }
    if (!differsFromBase) differsFromBase = await baseLeavesTunedPath(ref, next, models.base, tolerance);
  }
  return {
    prompts: references.length,
    comparedTokens,
    agreeing,
    skippedNearTies,
    differsFromBase,
    tolerance,
    passed: comparedTokens > 0 && agreeing === comparedTokens && differsFromBase,
    mismatches,
  };
}

/** At the first step where the reference base and tuned decodings part (the tuned one decisive there), Ollama's
 * base model does not take the tuned token. */
async function baseLeavesTunedPath(ref: ReferencePrompt, next: NextToken, base: string, tolerance: number): Promise<boolean> {
  const k = ref.tuned.steps.findIndex((step, i) => ref.base.steps[i]?.id !== step.id);
  const tuned = ref.tuned.steps[k];
  if (!tuned || tuned.margin < tolerance) return false;
  return (await next(base, ref.prompt + tuned.prefix)) !== tuned.piece;
}
