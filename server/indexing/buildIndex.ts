// `chartcoder index build`: knowledge release → documents → vectors (cached) → the chosen backend.
import { join } from 'node:path';
import { buildElasticsearchIndex, knowledgeAlias, knowledgeIndexOf } from '../adapters/elasticsearch/knowledgeIndex';
import { createElasticsearchClient } from '../adapters/elasticsearch/client';
import { buildEmbeddedIndex, readEmbeddedMeta } from '../adapters/embedded/embeddedIndex';
import { createOllamaEmbedder, EMBEDDING_DIMS } from '../adapters/ollama/embedder';
import { openEmbeddingCache } from '../adapters/stores/embeddingCache';
import { describeError } from '../engine/errors';
import { loadKnowledgeBase, type KnowledgeBase } from '../knowledge/knowledgeBase';
import { readReleaseFor } from '../knowledge/release';
import type { ChartcoderSettings } from '../protocol';
import type { Progress } from './progress';
import { codeBookPath, ensureCodeBook } from './codeBookFile';
import { documentVectors } from './vectors';
import { vectorTexts } from '../engine/retrieve/embeddingText';

export type BackendKind = 'es' | 'embedded';

export interface BuildOptions {
  readonly backend: BackendKind;
  readonly fy: number;
  readonly embeddings: boolean;
  readonly progress: Progress;
  readonly projectRoot: string;
  /** Rebuild even when the live index was built from the same knowledge and embedding model. */
  readonly force?: boolean;
}

export interface BuildReport {
  readonly backend: BackendKind;
  readonly index: string;
  readonly knowledgeVersion: string;
  readonly documents: number;
  readonly vectors: number;
  /** Documents that should have a vector: the index is complete when `vectors` reaches it. */
  readonly expectedVectors: number;
  readonly embedModel?: string;
  readonly embeddingsSkipped?: string;
  readonly problems: number;
  readonly counts: Record<string, number>;
  /** True when the live index already matched and nothing was rebuilt. */
  readonly upToDate: boolean;
  /** Peak resident memory of this process, MB. */
  readonly maxRssMb: number;
  readonly seconds: { readonly load: number; readonly embed: number; readonly index: number };
}

export const embeddedIndexDir = (settings: ChartcoderSettings, fy: number): string => join(settings.cacheDir, 'index', `embedded-fy${fy}`);

export async function loadKnowledge(settings: ChartcoderSettings, fy: number, projectRoot: string, progress: Progress): Promise<KnowledgeBase> {
  const release = readReleaseFor({ fy, projectRoot, cacheDir: settings.cacheDir });
  const kb = await loadKnowledgeBase(release, {
    ...(settings.knowledge.cptFile ? { cptFile: settings.knowledge.cptFile } : {}),
    onProgress: (line) => progress.note(line),
  });
  for (const problem of kb.problems.slice(0, 20)) progress.note(`skipped ${problem.file}:${problem.line}: ${problem.reason}`);
  if (kb.problems.length > 20) progress.note(`… and ${kb.problems.length - 20} more skipped rows`);
  return kb;
}

export async function buildIndex(settings: ChartcoderSettings, options: BuildOptions): Promise<BuildReport> {
  const { progress } = options;
  const clock = stopwatch();
  const kb = await loadKnowledge(settings, options.fy, options.projectRoot, progress);
  const load = clock();
  if (ensureCodeBook(settings, options.fy, kb.version, kb.docs)) progress.note(`code book written: ${codeBookPath(settings, options.fy)}`);
  const expectedVectors = options.embeddings ? vectorTexts(kb.docs).size : 0;
  let vectors = new Map<string, Float32Array>();
  let embedModel: string | undefined;
  let embeddingsSkipped: string | undefined = options.embeddings ? undefined : 'not requested (--no-embeddings)';
  if (options.embeddings) {
    try {
      const embedder = await createOllamaEmbedder(settings.ollama, { bulk: true });
      embedModel = embedder.model;
      const live = await liveIndex(settings, options.backend, options.fy);
      // An index missing vectors is incomplete, never up to date: building again resumes from the cached vectors.
      if (!options.force && live && live.knowledgeVersion === kb.version && live.embedModel === embedModel && live.vectors === expectedVectors) {
        progress.note(`${live.index} is up to date (${kb.version}, ${embedModel}); --force rebuilds it`);
        return {
          backend: options.backend,
          index: live.index,
          knowledgeVersion: kb.version,
          documents: kb.docs.length,
          vectors: live.vectors,
          expectedVectors,
          embedModel,
          problems: kb.problems.length,
          counts: kb.counts,
          upToDate: true,
          maxRssMb: maxRssMb(),
          seconds: { load, embed: 0, index: 0 },
        };
      }
      if (live && live.knowledgeVersion === kb.version && live.vectors < expectedVectors)
        progress.note(`${live.index} is incomplete (${live.vectors} of ${expectedVectors} vectors): resuming`);
      else if (live && live.knowledgeVersion === kb.version && live.vectors > expectedVectors)
        progress.note(`${live.index} has ${live.vectors} vectors from an older recipe (now ${expectedVectors}): rebuilding`);
      vectors = await documentVectors(kb.docs, embedder, openEmbeddingCache(settings.cacheDir, embedder.digest, EMBEDDING_DIMS), progress);
      const rates = [...(embedder.threads?.rates() ?? [])].map(
        ([threads, rate]) => `${threads ? `${threads} thread` : "Ollama's default threads"} ${rate.toFixed(0)}/s`,
      );
      if (rates.length) progress.note(`embedding speed (texts per second, last measured): ${rates.join(', ')}`);
    } catch (err) {
      embeddingsSkipped = describeError(err);
      progress.note(`embeddings unavailable, building a BM25-only index: ${embeddingsSkipped}`);
    }
  }
  const embed = clock();
  const input = { knowledgeVersion: kb.version, docs: kb.docs, vectors, expectedVectors, dims: EMBEDDING_DIMS, ...(embedModel ? { embedModel } : {}) };
  let index: string;
  if (options.backend === 'es') {
    progress.start(`indexing ${kb.docs.length} documents into Elasticsearch`, kb.docs.length);
    const built = await buildElasticsearchIndex(createElasticsearchClient(settings), {
      ...input,
      prefix: settings.elasticsearch.indexPrefix,
      fy: options.fy,
      onProgress: (n) => progress.update(n),
    });
    progress.stop();
    index = `${built.alias} → ${built.index}`;
  } else {
    progress.note(`indexing ${kb.docs.length} documents into the embedded index`);
    const dir = embeddedIndexDir(settings, options.fy);
    index = `${dir} (${buildEmbeddedIndex({ ...input, dir }).indexVersion})`;
  }
  return {
    backend: options.backend,
    index,
    knowledgeVersion: kb.version,
    documents: kb.docs.length,
    vectors: vectors.size,
    expectedVectors,
    ...(embedModel ? { embedModel } : {}),
    ...(embeddingsSkipped ? { embeddingsSkipped } : {}),
    problems: kb.problems.length,
    counts: kb.counts,
    upToDate: false,
    maxRssMb: maxRssMb(),
    seconds: { load, embed, index: clock() },
  };
}

interface LiveIndex {
  readonly index: string;
  readonly knowledgeVersion?: string;
  readonly embedModel?: string;
  readonly vectors: number;
}

async function liveIndex(settings: ChartcoderSettings, backend: BackendKind, fy: number): Promise<LiveIndex | undefined> {
  if (backend === 'embedded') {
    const dir = embeddedIndexDir(settings, fy);
    const meta = readEmbeddedMeta(dir);
    return meta
      ? { index: dir, knowledgeVersion: meta.knowledgeVersion, vectors: meta.vectors, ...(meta.embedModel ? { embedModel: meta.embedModel } : {}) }
      : undefined;
  }
  const client = createElasticsearchClient(settings);
  const index = await knowledgeIndexOf(client, knowledgeAlias(settings.elasticsearch.indexPrefix, fy));
  if (!index) return undefined;
  const meta = (await client.indices.getMapping({ index }))[index]?.mappings._meta ?? {};
  const vectors = (await client.count({ index, query: { exists: { field: 'embedding' } } })).count;
  return {
    index,
    vectors,
    ...(typeof meta['knowledgeVersion'] === 'string' ? { knowledgeVersion: meta['knowledgeVersion'] } : {}),
    ...(typeof meta['embedModel'] === 'string' ? { embedModel: meta['embedModel'] } : {}),
  };
}

const maxRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

function stopwatch(): () => number {
  let last = Date.now();
  return () => {
    const now = Date.now();
    const seconds = (now - last) / 1000;
    last = now;
    return seconds;
  };
}
