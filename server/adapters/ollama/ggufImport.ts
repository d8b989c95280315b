// A user's own GGUF (e.g. a 7–8B Llama on a GPU server) as a chat model in Ollama: its header is read with
// @huggingface/gguf (only the metadata, not the weights), Llama-architecture files are uploaded to the blob store and
// created under the user's name, with the chat template the file carries. The LoRA pipeline trains on the same file
// (`chartcoder train lora --base-gguf FILE`), since transformers de-quantizes Llama GGUFs.
import { basename } from 'node:path';
import { gguf } from '@huggingface/gguf';
import type { Ollama } from 'ollama';
import { ChartcoderError, describeError } from '../../engine/errors';
import { modelLayers, uploadBlob } from './modelImport';

/** Architectures the LoRA pipeline supports (its target modules are Llama's attention and MLP projections). */
export const TUNABLE_ARCHITECTURES: readonly string[] = ['llama'];

export interface GgufSummary {
  readonly architecture: string;
  readonly name?: string;
  readonly contextLength?: number;
  readonly chatTemplate: boolean;
  readonly tensors: number;
}

export async function describeGguf(path: string): Promise<GgufSummary> {
  let parsed: Awaited<ReturnType<typeof gguf>>;
  try {
    parsed = await gguf(path, { allowLocalFile: true });
  } catch (err) {
    throw new ChartcoderError('bad-input', `${basename(path)} is not a readable GGUF file: ${describeError(err)}`);
  }
  const metadata = parsed.metadata as unknown as Readonly<Record<string, unknown>>;
  const architecture = metadata['general.architecture'];
  if (typeof architecture !== 'string') throw new ChartcoderError('bad-input', `${basename(path)} names no general.architecture in its GGUF header`);
  const name = metadata['general.name'];
  const context = metadata[`${architecture}.context_length`];
  return {
    architecture,
    ...(typeof name === 'string' ? { name } : {}),
    ...(typeof context === 'number' || typeof context === 'bigint' ? { contextLength: Number(context) } : {}),
    chatTemplate: typeof metadata['tokenizer.chat_template'] === 'string',
    tensors: parsed.tensorInfos.length,
  };
}

export interface GgufImport extends GgufSummary {
  readonly model: string;
  /** sha256 (hex) of the file: what a tuned model's card names as its base weights. */
  readonly sha256: string;
  readonly outcome: 'imported' | 'current';
}

/** Imports `path` as `model`; a no-op when Ollama's `model` is already built from this file. */
export async function importGguf(client: Ollama, host: string, path: string, model: string): Promise<GgufImport> {
  const summary = await describeGguf(path);
  if (!TUNABLE_ARCHITECTURES.includes(summary.architecture)) {
    throw new ChartcoderError(
      'bad-input',
      `${basename(path)} is a ${summary.architecture} model; Chartcoder imports and tunes ${TUNABLE_ARCHITECTURES.join(', ')}-architecture GGUFs (its LoRA targets Llama's projections)`,
    );
  }
  if (!summary.chatTemplate)
    throw new ChartcoderError('bad-input', `${basename(path)} carries no chat template (tokenizer.chat_template): Chartcoder talks to its models through chat`);
  const digest = await uploadBlob(host, path);
  const sha256 = digest.replace('sha256:', '');
  const present = await modelLayers(client, model);
  if (present?.weights === sha256 && present.adapters.length === 0) return { ...summary, model, sha256, outcome: 'current' };
  // /api/create takes `files` (name → blob digest); ollama-js passes it through but does not type it.
  const request = { model, files: { [basename(path)]: digest }, parameters: { temperature: 0 }, stream: false as const };
  const answer = await client.create(request as Parameters<Ollama['create']>[0] & { stream: false });
  if (answer.status !== 'success') throw new ChartcoderError('service-unavailable', `ollama create ${model} answered: ${answer.status}`);
  return { ...summary, model, sha256, outcome: 'imported' };
}
