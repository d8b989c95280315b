// Embeddings computed once per (model digest, text) and kept on disk, so rebuilding an index — for either
// backend — never re-embeds unchanged text. Append-only records: sha1(text) (20 bytes) + float32 × dims.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, truncateSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface EmbeddingCache {
  get(text: string): Float32Array | undefined;
  putAll(entries: readonly { text: string; vector: readonly number[] }[]): void;
  readonly size: number;
}

const KEY_BYTES = 20;
const keyOf = (text: string): string => createHash('sha1').update(text).digest('hex');

export function openEmbeddingCache(cacheDir: string, modelDigest: string, dims: number): EmbeddingCache {
  const file = join(cacheDir, 'embeddings', `${modelDigest.replace(/[^a-zA-Z0-9]/g, '').slice(0, 24)}-${dims}.bin`);
  const recordBytes = KEY_BYTES + dims * 4;
  const vectors = new Map<string, Float32Array>();
  if (existsSync(file)) {
    const bytes = readFileSync(file);
    const whole = bytes.length - (bytes.length % recordBytes);
    // A build killed mid-write leaves a torn last record: it is cut off, or every record appended after it would be
    // read out of step.
    if (whole < bytes.length) truncateSync(file, whole);
    for (let offset = 0; offset < whole; offset += recordBytes) {
      const key = bytes.subarray(offset, offset + KEY_BYTES).toString('hex');
      vectors.set(key, new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset + KEY_BYTES, bytes.byteOffset + offset + recordBytes)));
    }
  }
  return {
    get: (text) => vectors.get(keyOf(text)),
    putAll(entries) {
      const chunks: Buffer[] = [];
      for (const { text, vector } of entries) {
        if (vector.length !== dims) throw new Error(`expected ${dims}-dimensional embeddings, got ${vector.length}`);
        const key = keyOf(text);
        const array = Float32Array.from(vector);
        vectors.set(key, array);
        chunks.push(Buffer.from(key, 'hex'), Buffer.from(array.buffer));
      }
      mkdirSync(dirname(file), { recursive: true });
      appendFileSync(file, Buffer.concat(chunks));
    },
    get size() {
      return vectors.size;
    },
  };
}
