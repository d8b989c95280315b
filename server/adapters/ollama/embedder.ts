// The Embedder port over Ollama /api/embed, batched. The model digest names the embedding space.
import type { Embedder } from '../../engine/ports';
import type { OllamaSettings } from '../../protocol';
import { createOllamaClient } from './client';

export const EMBEDDING_DIMS = 384;
const BATCH = 128;
const ATTEMPTS = 5;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function createOllamaEmbedder(settings: OllamaSettings): Promise<Embedder & { readonly digest: string }> {
  const client = createOllamaClient(settings);
  const { models } = await client.list();
  const wanted = settings.embedModel.includes(':') ? settings.embedModel : `${settings.embedModel}:latest`;
  const found = models.find((m) => m.name === wanted || m.model === wanted);
  if (!found) throw new Error(`embedding model ${settings.embedModel} is not in Ollama at ${settings.host} (run: chartcoder models pull)`);
  return {
    model: `${settings.embedModel}@${found.digest.slice(0, 12)}`,
    digest: found.digest,
    // A call that fails (a busy machine can push a batch past the request timeout) is tried again after a pause
    // with half the batch, so a slow moment costs time, not the vectors.
    async embed(texts, signal) {
      const out: number[][] = [];
      let batch = BATCH;
      for (let i = 0; i < texts.length;) {
        for (let attempt = 1; ; attempt++) {
          try {
            const response = await client.embed({ model: settings.embedModel, input: [...texts.slice(i, i + batch)], truncate: true });
            out.push(...response.embeddings);
            i += batch;
            break;
          } catch (err) {
            if (attempt >= ATTEMPTS || signal?.aborted) throw err;
            batch = Math.max(8, Math.floor(batch / 2));
            await pause(2_000 * attempt);
          }
        }
      }
      return out;
    },
  };
}
