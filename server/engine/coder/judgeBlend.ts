// How the model's judgement enters the ranker's probability: a logistic model over the ranker's calibrated
// probability (as a logit) and the model's lift for the code (its probability among the sentence's k options,
// times k: 1 is indifference), fitted on the out-of-fold probabilities of the training documents by
// `chartcoder train judge`. Only candidates the ranker is unsure of are judged; the others keep their probability.

export interface JudgeBlend {
  readonly schemaVersion: 2;
  /** The Ollama model whose answers were fitted (a blend for one model means nothing for another). */
  readonly llm: string;
  /** The coding model whose out-of-fold probabilities were fitted. */
  readonly codingModel: string;
  /** Candidates within this distance of the threshold are judged, and their rivals of one category. */
  readonly band: number;
  readonly maxPerSentence: number;
  /** Sentences asked per encounter (all in one call). */
  readonly maxSentences: number;
  /** The judge prompt's template version the model was asked with (judgePrompt.ts). */
  readonly promptVersion: number;
  readonly weights: { readonly ranker: number; readonly model: number; readonly bias: number };
  /** How the fit did on the training documents' cross-validation (reported, never used to code). */
  readonly fit: Record<string, number | string>;
}

const EPSILON = 1e-4;
const clip = (p: number) => Math.min(1 - EPSILON, Math.max(EPSILON, p));
export const logit = (p: number): number => Math.log(clip(p) / (1 - clip(p)));

/** ln(k · p): how much more than an even share of its k options the model gave the code. */
export const modelLift = (modelProbability: number, options: number): number => Math.log(Math.max(1e-3, modelProbability) * options);

export function blendedProbability(blend: Pick<JudgeBlend, 'weights'>, rankerProbability: number, lift: number): number {
  const { ranker, model, bias } = blend.weights;
  return 1 / (1 + Math.exp(-(ranker * logit(rankerProbability) + model * lift + bias)));
}
