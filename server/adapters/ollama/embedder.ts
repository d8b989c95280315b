// The Embedder port over Ollama /api/embed, batched. The model digest names the embedding space.
import type { Embedder } from '../../engine/ports';
import type { OllamaSettings } from '../../protocol';
import { createOllamaClient } from './client';

export const EMBEDDING_DIMS = 384;
const BATCH = 128;

export async function createOllamaEmbedder(settings: OllamaSettings): Promise<Embedder & { readonly digest: string }> {
  const client = createOllamaClient(settings);
  const { models } = await client.list();
  const wanted = settings.embedModel.includes(':') ? settings.embedModel : `${settings.embedModel}:latest`;
  const found = models.find((m) => m.name === wanted || m.model === wanted);
  if (!found) throw new Error(`embedding model ${settings.embedModel} is not in Ollama at ${settings.host} (run: chartcoder models pull)`);
  return {
    model: `${settings.embedModel}@${found.digest.slice(0, 12)}`,
    digest: found.digest,
    async embed(texts) {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += BATCH) {
        const response = await client.embed({ model: settings.embedModel, input: [...texts.slice(i, i + BATCH)], truncate: true });
        out.push(...response.embeddings);
      }
      return out;
    },
  };
}
