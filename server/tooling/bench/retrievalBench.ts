// `chartcoder bench retrieval`: index build time and memory per backend (with and without embeddings), and
// query latency p50/p95 per leg and fused, next to a bare `_search` with the identical body sent in the same
// process — the ratio is our adapter's overhead.
import { spawn } from 'node:child_process';
import { createElasticsearchClient, elasticsearchUrl } from '../../adapters/elasticsearch/client';
import { knowledgeAlias, knowledgeIndexOf, lexicalBody, vectorBody } from '../../adapters/elasticsearch/knowledgeIndex';
import type { Embedder, SearchBackend } from '../../engine/ports';
import { createHybridRetriever } from '../../engine/retrieve/hybridRetriever';
import type { SearchFilters } from '../../engine/retrieve/search';
import { normalizeClinicalText } from '../../engine/text/normalize';
import type { BackendKind, BuildReport } from '../../indexing/buildIndex';
import { openBackend, openEmbedder } from '../../app/openRetriever';
import type { ChartcoderSettings } from '../../protocol';
import { percentile, round, timed } from './stats';

export interface BuildNumbers {
  readonly backend: BackendKind;
  readonly embeddings: boolean;
  readonly loadS: number;
  readonly embedS: number;
  readonly indexS: number;
  readonly maxRssMb: number;
  readonly vectors: number;
  readonly esStoreMb?: number;
  readonly esHeapMb?: number;
}

export interface LatencyRow {
  readonly backend: string;
  readonly leg: string;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly bareP50Ms?: number;
  readonly bareP95Ms?: number;
  readonly overheadRatio?: number;
}

const FILTERS: SearchFilters = { systems: ['icd10cm'], fy: 2026 };
const SIZE = 40;

export function runBuild(cliPath: string, backend: BackendKind, embeddings: boolean, env: NodeJS.ProcessEnv): Promise<BuildReport & { maxRssMb: number }> {
  return new Promise((resolve, reject) => {
    const args = [cliPath, 'index', 'build', '--backend', backend, '--force', '--json', ...(embeddings ? [] : ['--no-embeddings'])];
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as BuildReport & { maxRssMb: number }) : reject(new Error(`index build --backend ${backend} exited ${code}`)),
    );
  });
}

export async function elasticsearchFootprint(settings: ChartcoderSettings, prefix: string): Promise<{ storeMb: number; heapMb: number }> {
  const client = createElasticsearchClient(settings);
  const stats = await client.indices.stats({ index: knowledgeAlias(prefix, 2026), metric: ['store'] });
  const nodes = await client.nodes.stats({ metric: ['jvm'] });
  const heap = Object.values(nodes.nodes)[0]?.jvm?.mem?.heap_used_in_bytes ?? 0;
  return { storeMb: round((stats._all.primaries?.store?.size_in_bytes ?? 0) / 1e6), heapMb: round(heap / 1e6) };
}

/** Drops the index a benchmark build left behind under its own prefix. */
export async function dropBenchIndex(settings: ChartcoderSettings, prefix: string): Promise<void> {
  const client = createElasticsearchClient(settings);
  const index = await knowledgeIndexOf(client, knowledgeAlias(prefix, 2026));
  if (index) await client.indices.delete({ index });
}

async function samples(queries: readonly string[], run: (q: string, i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (const [i, q] of queries.entries()) out.push((await timed(() => run(q, i))).ms);
  return out;
}

const row = (backend: string, leg: string, ours: number[], bare?: number[]): LatencyRow => ({
  backend,
  leg,
  p50Ms: round(percentile(ours, 50), 2),
  p95Ms: round(percentile(ours, 95), 2),
  ...(bare
    ? {
        bareP50Ms: round(percentile(bare, 50), 2),
        bareP95Ms: round(percentile(bare, 95), 2),
        overheadRatio: round(percentile(ours, 50) / percentile(bare, 50), 2),
      }
    : {}),
});

/** POST the body straight to `_search` with fetch: no client, no parsing beyond JSON. */
const bareSearch = (url: string, index: string) => async (body: object) => {
  const response = await fetch(`${url}/${index}/_search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.json();
};

export async function measureLatency(settings: ChartcoderSettings, backendKind: BackendKind, queries: readonly string[]): Promise<LatencyRow[]> {
  const backend: SearchBackend & { embedModel?: string } = await openBackend(settings, backendKind, 2026);
  const embedder: Embedder = await openEmbedder(settings, backend.embedModel);
  const vectors: number[][] = [];
  const embed = await samples(queries, async (q) => vectors.push((await embedder.embed([q]))[0]!));
  const signal = new AbortController().signal;
  const terms = queries.map((q) => normalizeClinicalText(q).tokens);
  const bm25 = await samples(queries, (_q, i) => backend.lexical(terms[i]!, FILTERS, SIZE, signal));
  const knn = await samples(queries, (_q, i) => backend.vector(vectors[i]!, FILTERS, SIZE, signal));
  const retriever = createHybridRetriever({ backend, embedder });
  const fused = await samples(queries, (q) => retriever.search({ text: q, k: SIZE / 2, filters: FILTERS }));
  const rows = [row(backend.name, 'embed (Ollama)', embed)];
  if (backendKind === 'es') {
    const bare = bareSearch(elasticsearchUrl(settings), knowledgeAlias(settings.elasticsearch.indexPrefix, 2026));
    const bareBm25 = await samples(queries, (_q, i) => bare(lexicalBody(terms[i]!, FILTERS, SIZE)));
    const bareKnn = await samples(queries, (_q, i) => bare(vectorBody(vectors[i]!, FILTERS, SIZE)));
    rows.push(row(backend.name, 'bm25', bm25, bareBm25), row(backend.name, 'knn', knn, bareKnn));
  } else {
    rows.push(row(backend.name, 'bm25', bm25), row(backend.name, 'knn', knn));
  }
  rows.push(row(backend.name, 'fused (embed + both legs + RRF)', fused));
  return rows;
}
