// Wires a Retriever: the configured backend (Elasticsearch when a cluster is configured, else the embedded
// index) + the Ollama embedder. An unreachable embedder or a different embedding model degrades the kNN leg only.
import { createElasticsearchClient } from '../adapters/elasticsearch/client';
import { openElasticsearchBackend } from '../adapters/elasticsearch/knowledgeIndex';
import { openEmbeddedIndex } from '../adapters/embedded/embeddedIndex';
import { createOllamaEmbedder } from '../adapters/ollama/embedder';
import { describeError } from '../errors';
import type { Embedder, SearchBackend } from '../engine/ports';
import { createHybridRetriever } from '../engine/retrieve/hybridRetriever';
import type { Retriever } from '../engine/retrieve/search';
import type { ChartcoderSettings } from '../protocol';
import { embeddedIndexDir, type BackendKind } from './buildIndex';

export const defaultBackend = (settings: ChartcoderSettings): BackendKind => (settings.elasticsearch.url ? 'es' : 'embedded');

export async function openBackend(settings: ChartcoderSettings, backend: BackendKind, fy: number): Promise<SearchBackend & { readonly embedModel?: string }> {
  if (backend === 'es') return openElasticsearchBackend(createElasticsearchClient(settings), settings.elasticsearch.indexPrefix, fy);
  const index = openEmbeddedIndex(embeddedIndexDir(settings, fy));
  return Object.assign(index, index.meta.embedModel ? { embedModel: index.meta.embedModel } : {});
}

/** An embedder that explains, on every call, why the kNN leg cannot run. */
const unavailable = (model: string, reason: string): Embedder => ({
  model,
  embed: async () => { throw new Error(reason); },
});

export async function openEmbedder(settings: ChartcoderSettings, indexModel: string | undefined): Promise<Embedder> {
  try {
    const embedder = await createOllamaEmbedder(settings.ollama);
    if (indexModel && indexModel !== embedder.model) return unavailable(embedder.model, `the index was embedded with ${indexModel}, the configured model is ${embedder.model}: rebuild the index`);
    return embedder;
  } catch (err) {
    return unavailable(settings.ollama.embedModel, `embedding model unavailable: ${describeError(err)}`);
  }
}

export async function openRetriever(settings: ChartcoderSettings, backend: BackendKind, fy: number): Promise<Retriever> {
  const searchBackend = await openBackend(settings, backend, fy);
  const embedder = await openEmbedder(settings, searchBackend.embedModel);
  return createHybridRetriever({ backend: searchBackend, embedder, legTimeoutMs: settings.elasticsearch.requestTimeoutMs });
}
