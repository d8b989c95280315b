// Importing a PEFT LoRA adapter into Ollama as base + adapter: the files go to the blob store (/api/blobs, which
// ollama-js keeps private) and /api/create names them in `adapters` (the CLI's `ADAPTER <dir>` mishandles PEFT
// output). /api/show's Modelfile tells which base weights and adapters a model was built from, by blob digest.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Ollama } from 'ollama';
import { ChartcoderError, describeError } from '../../engine/errors';

/** sha256 of a file, streamed: a model's weights may be larger than the memory at hand. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Pushes a file to Ollama's blob store once (streamed) and returns its digest ("sha256:…"). */
export async function uploadBlob(host: string, path: string): Promise<string> {
  const digest = `sha256:${await fileSha256(path)}`;
  const url = `${host.replace(/\/$/, '')}/api/blobs/${digest}`;
  const present = await fetch(url, { method: 'HEAD' });
  if (present.ok) return digest;
  const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
  const answer = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-length': String(statSync(path).size) },
    duplex: 'half',
  } as RequestInit);
  if (!answer.ok)
    throw new ChartcoderError('service-unavailable', `Ollama refused the upload of ${basename(path)}: HTTP ${answer.status} ${await answer.text()}`);
  return digest;
}

export interface ModelLayers {
  /** sha256 (hex) of the weights file the model was created FROM. */
  readonly weights?: string;
  /** sha256 (hex) of each adapter blob. */
  readonly adapters: readonly string[];
}

/** What a model in Ollama is made of; undefined when Ollama does not have it. */
export async function modelLayers(client: Ollama, model: string): Promise<ModelLayers | undefined> {
  let modelfile: string;
  try {
    modelfile = (await client.show({ model })).modelfile;
  } catch (err) {
    if (/not found/i.test(describeError(err))) return undefined;
    throw new ChartcoderError('service-unavailable', `Ollama could not describe ${model}: ${describeError(err)}`, { cause: err });
  }
  const digestsOn = (keyword: string) => [...modelfile.matchAll(new RegExp(`^${keyword} .*sha256-([0-9a-f]{64})\\s*$`, 'gm'))].map((m) => m[1]!);
  const [weights] = digestsOn('FROM');
  return { ...(weights ? { weights } : {}), adapters: digestsOn('ADAPTER') };
}

/** `model` = `from` + the adapter files (already uploaded: file name → digest). */
export async function createWithAdapter(client: Ollama, model: string, from: string, adapters: Record<string, string>): Promise<void> {
  const answer = await client.create({ model, from, adapters, stream: false });
  if (answer.status !== 'success') throw new ChartcoderError('service-unavailable', `ollama create ${model} answered: ${answer.status}`);
}
