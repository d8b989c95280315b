// Vectors for the documents that carry one (vectorTexts), from the on-disk cache or the embedder.
import type { Embedder } from '../engine/ports';
import { vectorTexts } from '../engine/retrieve/embeddingText';
import type { KnowledgeDoc } from '../engine/retrieve/knowledgeDoc';
import type { EmbeddingCache } from '../adapters/stores/embeddingCache';
import type { Progress } from './progress';

const PERSIST_EVERY = 1_024;

export async function documentVectors(
  docs: readonly KnowledgeDoc[],
  embedder: Embedder,
  cache: EmbeddingCache,
  progress: Progress,
): Promise<Map<string, Float32Array>> {
  const texts = vectorTexts(docs);
  const missing = [...new Set([...texts.values()].filter((text) => !cache.get(text)))];
  if (missing.length) {
    progress.start(`embedding ${missing.length} texts (${texts.size - missing.length} cached)`, missing.length);
    for (let i = 0; i < missing.length; i += PERSIST_EVERY) {
      const batch = missing.slice(i, i + PERSIST_EVERY);
      const vectors = await embedder.embed(batch);
      cache.putAll(batch.map((text, j) => ({ text, vector: vectors[j]! })));
      progress.update(Math.min(missing.length, i + PERSIST_EVERY));
    }
    progress.stop();
  }
  const out = new Map<string, Float32Array>();
  for (const [id, text] of texts) out.set(id, cache.get(text)!);
  return out;
}
