// `chartcoder train dataset` (the LoRA training data, made with the inference template and retrieval) and
// `chartcoder train lora` (training, model card, import into Ollama, numeric check).
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { defaultCodiespDir, readCodiesp } from '../evaluate/codiesp';
import { openDecisionLog } from '../../adapters/stores/decisionLog';
import { readEncounter } from '../../app/readEncounter';
import { ChartcoderError } from '../../engine/errors';
import { fhirBaseUrl } from '../../app/health';
import { consoleProgress } from '../../indexing/progress';
import type { ChartcoderSettings } from '../../protocol';
import { findProjectRoot } from '../../app/projectRoot';
import { openSuggester } from '../../app/openSuggester';
import type { EvalReport } from '../evaluate/evalReport';
import { readGoldBundle } from '../evaluate/goldBundle';
import { buildDataset, codiespDatasetCase } from '../train/buildDataset';
import { decisionCases } from '../train/decisionCases';
import { cardIn } from '../train/importTunedModel';
import { modelDir, writeModelCard, type ModelCard } from '../../app/modelCard';
import { trainLora, TRAINING_DEVICES, type TrainingDevice } from '../train/trainLora';
import { integerIn, oneOf, positive, positiveNumber } from './optionParsers';
import { registerTrainCoder } from './trainCoderCommand';
import { registerTrainJudge } from './trainJudgeCommand';
import { registerTrainJudgeDataset } from './trainJudgeDatasetCommand';

interface LoraFlags {
  dataset: string;
  model?: string;
  out?: string;
  baseGguf?: string;
  steps: number;
  rank: number;
  alpha: number;
  lr: number;
  maxTokens: number;
  seed: number;
  checkPrompts: number;
  maxNewTokens: number;
  change: string;
  device: TrainingDevice;
}

interface DatasetFlags {
  codiesp?: string | false;
  bundle?: string[];
  decisions?: string | true;
  split: string;
  limit?: number;
  out: string;
  seed: number;
  maxMentions?: number;
}

/** The encounters coders decided, from the decision log, each read again; what cannot be read is said, not used. */
async function decidedCases(s: ChartcoderSettings, log: string): Promise<Awaited<ReturnType<typeof decisionCases>> & { log: string }> {
  if (!existsSync(log)) throw new ChartcoderError('bad-input', `${log}: no decision log there`);
  const decisions = openDecisionLog(log);
  try {
    const found = await decisionCases({ decisions, fhirBaseUrl: fhirBaseUrl(s), read: (input) => readEncounter(s, input) });
    for (const { subject, reason } of found.skipped) process.stderr.write(`[chartcoder] decisions on ${subject} skipped: ${reason}\n`);
    return { ...found, log };
  } finally {
    decisions.close();
  }
}

export function registerTrainCommands(program: Command, settings: () => ChartcoderSettings, exit: (code: number) => void): void {
  const train = program.command('train').description('LoRA fine-tuning pipeline (training/)');
  registerTrainCoder(train, settings, exit);
  registerTrainJudge(train, settings, exit);
  registerTrainJudgeDataset(train, settings, exit);
  train
    .command('dataset')
    .option('--codiesp <dir>', 'CodiEsp v4 folder or archive folder (default ../shared/data/codiesp)')
    .option('--no-codiesp', 'leave CodiEsp out: learn from --bundle and --decisions only')
    .option('--bundle <files...>', 'also learn from FHIR gold bundles (encounters whose confirmed ICD-10-CM Conditions are the gold codes)')
    .option(
      '--decisions [log]',
      "also learn from coders' decisions: each encounter's accepted or replacing ICD-10-CM codes are its gold (default log: <cache>/decisions/decisions.jsonl)",
    )
    .option('--split <name>', 'labelled split to learn from', 'train')
    .option('--limit <n>', 'first n documents only', positive)
    .option('--max-mentions <n>', 'mentions per document', positive)
    .option('--seed <n>', 'split seed', integerIn(0, 2 ** 31 - 1), 20261124)
    .option('--out <dir>', 'where train.jsonl, validation.jsonl and manifest.json go', 'training/data/codiesp')
    .description('training examples with the inference prompt template and retrieval; deterministic split; manifest with counts and hashes')
    .action(async (o: DatasetFlags) => {
      const s = settings();
      const root = findProjectRoot();
      const codiesp =
        o.codiesp === false
          ? undefined
          : (await readCodiesp(o.codiesp ?? defaultCodiespDir(root), s.cacheDir, o.split)).slice(0, o.limit).map(codiespDatasetCase);
      const bundles = (o.bundle ?? []).map((file) => ({ file, cases: readGoldBundle(file) }));
      const decided = o.decisions ? await decidedCases(s, o.decisions === true ? join(s.cacheDir, 'decisions', 'decisions.jsonl') : o.decisions) : undefined;
      const cases = [...(codiesp ?? []), ...bundles.flatMap((b) => b.cases), ...(decided?.cases ?? [])];
      if (!cases.length) throw new ChartcoderError('bad-input', 'nothing to learn from: no CodiEsp documents, gold bundle encounters or decided encounters');
      const suggester = await openSuggester(s, { projectRoot: root });
      const source = [
        ...(codiesp ? [`CodiEsp v4 ${o.split} (English), ${codiesp.length} documents`] : []),
        ...bundles.map((b) => `FHIR gold bundle ${basename(b.file)}, ${b.cases.length} encounters`),
        ...(decided ? [`coder decisions ${basename(decided.log)}, ${decided.cases.length} encounters`] : []),
      ].join('; ');
      const manifest = await buildDataset({
        suggester,
        cases,
        outDir: o.out,
        seed: o.seed,
        validationShare: 0.1,
        progress: consoleProgress(),
        source,
        ...(o.maxMentions ? { maxMentions: o.maxMentions } : {}),
      });
      process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
      exit(0);
    });

  train
    .command('lora')
    .option('--dataset <dir>', 'a folder written by chartcoder train dataset', 'training/data/codiesp')
    .option('--model <name>', 'the Ollama name of the tuned model (default: settings ollama.tunedModel)')
    .option('--out <dir>', 'where the adapter, loss.png, run.json and card.json go (default training/models/<model>)')
    .option('--base-gguf <file>', 'the base weights (default: the chartcoder-base GGUF in the cache); must be what Ollama serves as ollama.chatModel')
    .option('--steps <n>', 'optimizer steps (one example each)', positive, 300)
    .option('--rank <n>', 'LoRA rank', positive, 8)
    .option('--alpha <n>', 'LoRA alpha (an integer)', positive, 16)
    .option('--lr <x>', 'learning rate', positiveNumber, 2e-4)
    .option('--max-tokens <n>', 'tokens per example (the prompt is cut from the left)', positive, 1024)
    .option('--seed <n>', 'seed', integerIn(0, 2 ** 31 - 1), 20261124)
    .option('--device <device>', 'auto (a CUDA GPU when PyTorch sees one), cpu or cuda', oneOf(TRAINING_DEVICES, 'a device'), 'auto' as TrainingDevice)
    .option('--check-prompts <n>', 'fixed prompts for the numeric check', positive, 4)
    .option('--max-new-tokens <n>', 'greedy tokens compared per prompt', positive, 24)
    .option('--change <text>', 'what this model version changes, for the card', 'LoRA adapter for choosing ICD-10-CM codes among retrieved candidates (FT+RAG)')
    .description('PEFT LoRA on the base weights, then model card, import into Ollama (base + adapter) and the numeric check against transformers')
    .action(async (o: LoraFlags) => {
      const s = settings();
      const root = findProjectRoot();
      const model = o.model ?? s.ollama.tunedModel;
      const { card, imported, check } = await trainLora({
        settings: s,
        projectRoot: root,
        datasetDir: o.dataset,
        model,
        outDir: o.out ?? modelDir(root, model),
        ...(o.baseGguf ? { baseGguf: o.baseGguf } : {}),
        device: o.device,
        steps: o.steps,
        rank: o.rank,
        alpha: o.alpha,
        lr: o.lr,
        maxTokens: o.maxTokens,
        seed: o.seed,
        checkPrompts: o.checkPrompts,
        maxNewTokens: o.maxNewTokens,
        change: o.change,
        log: (line) => process.stderr.write(`[chartcoder] ${line}\n`),
      });
      process.stdout.write(
        `${JSON.stringify({ model, adapterVersion: card.adapterVersion, imported, training: card.training, numericCheck: card.numericCheck, mismatches: check.mismatches.slice(0, 10) }, null, 2)}\n`,
      );
      if (!check.passed)
        process.stderr.write(
          `chartcoder: numeric check failed for ${model}: ${check.agreeing}/${check.comparedTokens} decisive tokens agree, base differs: ${check.differsFromBase}\n`,
        );
      exit(check.passed ? 0 : 1);
    });
  train
    .command('card')
    .argument('[model]', 'a folder name under training/models (default: settings ollama.tunedModel)')
    .requiredOption('--eval <report.json>', 'a chartcoder eval report whose modes go into the card')
    .option('--note <text>', 'how the evaluation was limited, for the card', '')
    .description("record an evaluation (micro P/R/F1 per mode) in a tuned model's card")
    .action((name: string | undefined, o: { eval: string; note: string }) => {
      const dir = modelDir(findProjectRoot(), name ?? settings().ollama.tunedModel);
      const card = cardIn(dir);
      const report = JSON.parse(readFileSync(o.eval, 'utf8')) as EvalReport;
      const modes = Object.fromEntries(
        Object.entries(report.modes).map(([mode, m]) => [
          mode,
          { documents: m.documents, microF1: m.microF1, microPrecision: m.microPrecision, microRecall: m.microRecall, categoryMicroF1: m.categoryMicroF1 },
        ]),
      );
      const evaluation: NonNullable<ModelCard['evaluation']> = {
        dataset: `${report.dataset} ${report.split} (${report.documents} documents; ${o.eval})`,
        note: o.note,
        modes,
      };
      writeModelCard(dir, { ...card, evaluation });
      process.stdout.write(`${JSON.stringify(evaluation, null, 2)}\n`);
      exit(0);
    });
}
