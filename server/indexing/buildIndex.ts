// `chartcoder index build`: knowledge release → documents → vectors (cached) → the chosen backend.
import { join } from 'node:path';
import { buildElasticsearchIndex } from '../adapters/elasticsearch/knowledgeIndex';
import { createElasticsearchClient } from '../adapters/elasticsearch/client';
import { buildEmbeddedIndex } from '../adapters/embedded/embeddedIndex';
import { createOllamaEmbedder, EMBEDDING_DIMS } from '../adapters/ollama/embedder';
import { openEmbeddingCache } from '../adapters/stores/embeddingCache';
import { describeError } from '../errors';
import { loadKnowledgeBase, type KnowledgeBase } from '../knowledge/knowledgeBase';
import { readRelease, releaseManifestPath } from '../knowledge/release';
import type { ChartcoderSettings } from '../protocol';
import type { Progress } from './progress';
import { documentVectors } from './vectors';

export type BackendKind = 'es' | 'embedded';

export interface BuildOptions {
  readonly backend: BackendKind;
  readonly fy: number;
  readonly embeddings: boolean;
  readonly progress: Progress;
  readonly projectRoot: string;
}

export interface BuildReport {
  readonly backend: BackendKind;
  readonly index: string;
  readonly knowledgeVersion: string;
  readonly documents: number;
  readonly vectors: number;
  readonly embedModel?: string;
  readonly embeddingsSkipped?: string;
  readonly problems: number;
  readonly counts: Record<string, number>;
  readonly seconds: { readonly load: number; readonly embed: number; readonly index: number };
}

export const embeddedIndexDir = (settings: ChartcoderSettings, fy: number): string => join(settings.cacheDir, 'index', `embedded-fy${fy}`);

export async function loadKnowledge(settings: ChartcoderSettings, fy: number, projectRoot: string, progress: Progress): Promise<KnowledgeBase> {
  const release = readRelease(releaseManifestPath({ fy, projectRoot, cacheDir: settings.cacheDir }));
  const kb = await loadKnowledgeBase(release, { ...(settings.knowledge.cptFile ? { cptFile: settings.knowledge.cptFile } : {}), onProgress: (line) => progress.note(line) });
  for (const problem of kb.problems.slice(0, 20)) progress.note(`skipped ${problem.file}:${problem.line}: ${problem.reason}`);
  if (kb.problems.length > 20) progress.note(`… and ${kb.problems.length - 20} more skipped rows`);
  return kb;
}

export async function buildIndex(settings: ChartcoderSettings, options: BuildOptions): Promise<BuildReport> {
  const { progress } = options;
  const clock = stopwatch();
  const kb = await loadKnowledge(settings, options.fy, options.projectRoot, progress);
  const load = clock();
  let vectors = new Map<string, Float32Array>();
  let embedModel: string | undefined;
  let embeddingsSkipped: string | undefined = options.embeddings ? undefined : 'not requested (--no-embeddings)';
  if (options.embeddings) {
    try {
      const embedder = await createOllamaEmbedder(settings.ollama);
      embedModel = embedder.model;
      vectors = await documentVectors(kb.docs, embedder, openEmbeddingCache(settings.cacheDir, embedder.digest, EMBEDDING_DIMS), progress);
    } catch (err) {
      embeddingsSkipped = describeError(err);
      progress.note(`embeddings unavailable, building a BM25-only index: ${embeddingsSkipped}`);
    }
  }
  const embed = clock();
  const input = { knowledgeVersion: kb.version, docs: kb.docs, vectors, dims: EMBEDDING_DIMS, ...(embedModel ? { embedModel } : {}) };
  let index: string;
  if (options.backend === 'es') {
    progress.start(`indexing ${kb.docs.length} documents into Elasticsearch`, kb.docs.length);
    const built = await buildElasticsearchIndex(createElasticsearchClient(settings), { ...input, prefix: settings.elasticsearch.indexPrefix, fy: options.fy, onProgress: (n) => progress.update(n) });
    progress.stop();
    index = `${built.alias} → ${built.index}`;
  } else {
    progress.note(`indexing ${kb.docs.length} documents into the embedded index`);
    const dir = embeddedIndexDir(settings, options.fy);
    index = `${dir} (${buildEmbeddedIndex({ ...input, dir }).indexVersion})`;
  }
  return {
    backend: options.backend, index, knowledgeVersion: kb.version, documents: kb.docs.length, vectors: vectors.size,
    ...(embedModel ? { embedModel } : {}), ...(embeddingsSkipped ? { embeddingsSkipped } : {}),
    problems: kb.problems.length, counts: kb.counts, seconds: { load, embed, index: clock() },
  };
}

function stopwatch(): () => number {
  let last = Date.now();
  return () => {
    const now = Date.now();
    const seconds = (now - last) / 1000;
    last = now;
    return seconds;
  };
}
