// `chartcoder models import --gguf`: what is refused before anything reaches Ollama.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ollama } from 'ollama';
import { describeGguf, importGguf } from '../../server/adapters/ollama/ggufImport';
import { ggufModelName } from '../../server/tooling/commands/modelCommands';

/** A GGUF v3 header with string metadata and no tensors. */
function ggufFile(metadata: Record<string, string>): string {
  const parts: Buffer[] = [Buffer.from('GGUF'), u32(3), u64(0), u64(Object.keys(metadata).length)];
  for (const [key, value] of Object.entries(metadata)) parts.push(text(key), u32(8), text(value));
  const path = join(mkdtempSync(join(tmpdir(), 'gguf-')), 'model.gguf');
  writeFileSync(path, Buffer.concat(parts));
  return path;
}
const u32 = (n: number) => Buffer.from(new Uint32Array([n]).buffer);
const u64 = (n: number) => Buffer.from(new BigUint64Array([BigInt(n)]).buffer);
const text = (s: string) => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s)]);

const untouchable = new Proxy({} as Ollama, {
  get: () => {
    throw new Error('Ollama must not be called');
  },
});

describe('GGUF import (models import --gguf)', () => {
  it('reads the architecture, name and chat template from the header', async () => {
    const path = ggufFile({ 'general.architecture': 'llama', 'general.name': 'Tiny Llama', 'tokenizer.chat_template': '{{ messages }}' });
    assert.deepEqual(await describeGguf(path), { architecture: 'llama', name: 'Tiny Llama', chatTemplate: true, tensors: 0 });
  });

  it('refuses a file that is not GGUF, naming it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'gguf-')), 'weights.safetensors');
    writeFileSync(path, '{"not": "gguf"}');
    await assert.rejects(importGguf(untouchable, 'http://127.0.0.1:1', path, 'mine'), /weights\.safetensors is not a readable GGUF file/);
  });

  it('refuses another architecture, saying which ones it tunes', async () => {
    const path = ggufFile({ 'general.architecture': 'gpt2', 'tokenizer.chat_template': 'x' });
    await assert.rejects(importGguf(untouchable, 'http://127.0.0.1:1', path, 'mine'), /is a gpt2 model; Chartcoder imports and tunes llama-architecture GGUFs/);
  });

  it('refuses a model without a chat template', async () => {
    const path = ggufFile({ 'general.architecture': 'llama' });
    await assert.rejects(importGguf(untouchable, 'http://127.0.0.1:1', path, 'mine'), /carries no chat template/);
  });

  it('names the model after the file, as Ollama allows', () => {
    assert.equal(ggufModelName('/models/Meta-Llama-3.1-8B-Instruct.Q4_K_M.gguf'), 'meta-llama-3.1-8b-instruct.q4_k_m');
  });
});
