// Wires a Retriever: the configured backend (Elasticsearch when a cluster is configured, else the embedded
// index) + the Ollama embedder. An unreachable embedder or a different embedding model degrades the kNN leg only.
import { createElasticsearchClient } from '../adapters/elasticsearch/client';
import { openElasticsearchBackend } from '../adapters/elasticsearch/knowledgeIndex';
import { openEmbeddedIndex } from '../adapters/embedded/embeddedIndex';
import { createOllamaEmbedder } from '../adapters/ollama/embedder';
import { describeError } from '../engine/errors';
import type { Embedder, SearchBackend } from '../engine/ports';
import { createHybridRetriever } from '../engine/retrieve/hybridRetriever';
import type { Retriever } from '../engine/retrieve/search';
import type { ChartcoderSettings } from '../protocol';
import { embeddedIndexDir, type BackendKind } from '../indexing/buildIndex';
import { lazyOpen } from './lazyOpen';

export const defaultBackend = (settings: ChartcoderSettings): BackendKind => (settings.elasticsearch.url ? 'es' : 'embedded');

export async function openBackend(settings: ChartcoderSettings, backend: BackendKind, fy: number): Promise<SearchBackend & { readonly embedModel?: string }> {
  if (backend === 'es') return openElasticsearchBackend(createElasticsearchClient(settings), settings.elasticsearch.indexPrefix, fy);
  const index = openEmbeddedIndex(embeddedIndexDir(settings, fy));
  return Object.assign(index, index.meta.embedModel ? { embedModel: index.meta.embedModel } : {});
}

/** An embedder that explains, on every call, why the kNN leg cannot run. */
const unavailable = (model: string, reason: string): Embedder => ({
  model,
  embed: async () => {
    throw new Error(reason);
  },
});

/** The Ollama embedder, healing: while Ollama cannot be reached the kNN leg is degraded and says why, and the
 * connection is tried again (after 1 s, then doubling up to a minute), so kNN comes back by itself when Ollama does.
 * A different embedding model than the index's is not a passing state: that one stays degraded until a rebuild. */
export async function openEmbedder(
  settings: ChartcoderSettings,
  indexModel: string | undefined,
  options: { create?: typeof createOllamaEmbedder } = {},
): Promise<Embedder> {
  const create = options.create ?? createOllamaEmbedder;
  const connect = lazyOpen(async () => {
    try {
      return await create(settings.ollama, { attempts: 1 });
    } catch (err) {
      throw new Error(`embedding model unavailable: ${describeError(err)}`);
    }
  });
  const first = await connect().catch(() => undefined);
  if (first && indexModel && indexModel !== first.model)
    return unavailable(first.model, `the index was embedded with ${indexModel}, the configured model is ${first.model}: rebuild the index`);
  return {
    model: first?.model ?? settings.ollama.embedModel,
    embed: async (texts, signal) => (await connect()).embed(texts, signal),
  };
}

export async function openRetriever(settings: ChartcoderSettings, backend: BackendKind, fy: number): Promise<Retriever> {
  const searchBackend = await openBackend(settings, backend, fy);
  const embedder = await openEmbedder(settings, searchBackend.embedModel);
  return createHybridRetriever({ backend: searchBackend, embedder, legTimeoutMs: settings.elasticsearch.requestTimeoutMs });
}
