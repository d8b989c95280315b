// The model card of a tuned model: a PCCP-style change record written by `chartcoder train lora` next to the adapter
// (training/models/<model>/). It names exactly what was changed (base file hash, adapter hash, dataset manifest
// hash, hyper-parameters), how it was checked (the numeric check against transformers) and how it performs (the
// eval per mode), so a model update can be reviewed and reproduced. The engine records `adapterVersion`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ChartcoderError } from '../engine/errors';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

const numericCheck = z.object({
  prompts: z.number().int(),
  comparedTokens: z.number().int(),
  agreeing: z.number().int(),
  skippedNearTies: z.number().int(),
  differsFromBase: z.boolean(),
  tolerance: z.number(),
  passed: z.boolean(),
});

const modeMetrics = z.object({
  documents: z.number().int(),
  microF1: z.number(),
  microPrecision: z.number(),
  microRecall: z.number(),
  categoryMicroF1: z.number().optional(),
});

export const modelCardSchema = z.object({
  schemaVersion: z.literal(1),
  model: z.string().min(1),
  adapterVersion: z.string().min(1),
  createdAt: z.string(),
  change: z.string(),
  base: z.object({ ollamaModel: z.string(), file: z.string(), sha256 }),
  adapter: z.object({
    file: z.literal('adapter_model.safetensors'),
    sha256,
    bytes: z.number().int(),
    rank: z.number().int(),
    alpha: z.number().int(),
    targets: z.array(z.string()),
  }),
  dataset: z.object({
    contentHash: sha256,
    source: z.string(),
    promptTemplateHash: z.string(),
    examples: z.object({ train: z.number().int(), validation: z.number().int() }),
    counts: z.record(z.number()),
  }),
  training: z.object({
    steps: z.number().int(),
    lr: z.number(),
    maxTokens: z.number().int(),
    seed: z.number().int(),
    seconds: z.number(),
    device: z.string(),
    firstLoss: z.number(),
    lastLoss: z.number(),
    validationLoss: z.object({ before: z.number(), after: z.number() }).optional(),
  }),
  numericCheck: numericCheck.optional(),
  evaluation: z.object({ dataset: z.string(), note: z.string(), modes: z.record(modeMetrics) }).optional(),
});

export type ModelCard = z.infer<typeof modelCardSchema>;
export type NumericCheckSummary = z.infer<typeof numericCheck>;

export const CARD_FILE = 'card.json';
export const modelDir = (projectRoot: string, model: string): string => join(projectRoot, 'training', 'models', model);

export function readModelCard(dir: string): ModelCard | undefined {
  const path = join(dir, CARD_FILE);
  if (!existsSync(path)) return undefined;
  const parsed = modelCardSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success)
    throw new ChartcoderError(
      'data-unreadable',
      `${path} is not a model card: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

export function writeModelCard(dir: string, card: ModelCard): void {
  writeFileSync(join(dir, CARD_FILE), `${JSON.stringify(modelCardSchema.parse(card), null, 2)}\n`);
}

/** `<model>-<date>-<adapter hash prefix>`: readable, ordered by date, and naming the exact weights. */
export const adapterVersionFor = (model: string, createdAt: string, adapterSha256: string): string =>
  `${model}-${createdAt.slice(0, 10)}-${adapterSha256.slice(0, 12)}`;

/** The adapter version every ft/ft+rag suggestion records, from the tuned model's card. */
export const adapterVersionOf = (projectRoot: string, model: string): string | undefined => readModelCard(modelDir(projectRoot, model))?.adapterVersion;
