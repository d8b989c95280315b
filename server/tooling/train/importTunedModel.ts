// Serve a tuned model: its card's adapter imported into Ollama on top of the card's base. Refused when Ollama's base
// is not the weights the adapter was trained on, or when the adapter file is not the one its card names; a no-op
// when Ollama already has exactly this base + adapter. Ollama stores the adapter converted (a new digest), so which
// converted layer came from which adapter file is remembered in a stamp file in the cache.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createOllamaClient } from '../../adapters/ollama/client';
import { createWithAdapter, modelLayers, uploadBlob } from '../../adapters/ollama/modelImport';
import { ChartcoderError } from '../../engine/errors';
import type { ChartcoderSettings, OllamaSettings } from '../../protocol';
import { readModelCard, type ModelCard } from '../../app/modelCard';

export type ImportOutcome = 'imported' | 'current';

const ADAPTER_FILES = ['adapter_model.safetensors', 'adapter_config.json'] as const;
const short = (sha: string) => `${sha.slice(0, 12)}…`;

export function cardIn(dir: string): ModelCard {
  const card = readModelCard(dir);
  if (!card) throw new ChartcoderError('not-found', `no model card in ${dir} (chartcoder train lora writes one)`);
  return card;
}

export const importStampPath = (settings: ChartcoderSettings): string => join(settings.cacheDir, 'ollama', 'imported-adapters.json');

type Stamps = Record<string, { readonly adapterSha256: string; readonly layers: readonly string[] }>;

function readStamps(path: string): Stamps {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Stamps;
  } catch {
    return {};
  }
}

/** `stampPath`: a JSON file in the cache recording the imports this machine made. */
export async function importTunedModel(settings: OllamaSettings, dir: string, stampPath: string, as?: string): Promise<ImportOutcome> {
  const card = cardIn(dir);
  const model = as ?? card.model;
  for (const file of ADAPTER_FILES) if (!existsSync(join(dir, file))) throw new ChartcoderError('not-found', `${join(dir, file)} is missing`);
  const adapterSha = createHash('sha256')
    .update(readFileSync(join(dir, ADAPTER_FILES[0])))
    .digest('hex');
  if (adapterSha !== card.adapter.sha256) {
    throw new ChartcoderError(
      'bad-input',
      `refusing ${model}: ${ADAPTER_FILES[0]} (sha256 ${short(adapterSha)}) is not the adapter its card names (${short(card.adapter.sha256)})`,
    );
  }
  const client = createOllamaClient({ ...settings, requestTimeoutMs: Math.max(settings.requestTimeoutMs, 300_000) });
  const base = await modelLayers(client, card.base.ollamaModel);
  if (!base) throw new ChartcoderError('not-found', `the base model ${card.base.ollamaModel} is not in Ollama: run chartcoder models pull`);
  if (base.weights !== card.base.sha256) {
    throw new ChartcoderError(
      'bad-input',
      `refusing ${model}: its adapter was trained on ${card.base.file} (sha256 ${short(card.base.sha256)}), but Ollama's ${card.base.ollamaModel} ` +
        `is built from sha256 ${short(base.weights ?? 'unknown')}. Retrain on this base (chartcoder train lora) or import the matching base model.`,
    );
  }
  const existing = await modelLayers(client, model);
  const stamps = readStamps(stampPath);
  const stamp = stamps[`${settings.host} ${model}`];
  const sameLayers = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
  if (existing?.weights === card.base.sha256 && stamp?.adapterSha256 === card.adapter.sha256 && sameLayers(existing.adapters, stamp.layers)) return 'current';
  const adapters: Record<string, string> = {};
  for (const file of ADAPTER_FILES) adapters[file] = await uploadBlob(settings.host, join(dir, file));
  await createWithAdapter(client, model, card.base.ollamaModel, adapters);
  const created = await modelLayers(client, model);
  mkdirSync(dirname(stampPath), { recursive: true });
  writeFileSync(
    stampPath,
    JSON.stringify({ ...stamps, [`${settings.host} ${model}`]: { adapterSha256: card.adapter.sha256, layers: created?.adapters ?? [] } }, null, 2),
  );
  return 'imported';
}
