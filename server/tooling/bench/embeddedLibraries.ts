// The embedded index's BM25, measured against the kept libraries that could do the job: the same documents (our
// normalized terms) in MiniSearch, Orama and our Lucene-exact typed-array index — build time, persisted size, cold
// load time, heap and query latency in this process. (Ranking parity with Elasticsearch decided the choice; see
// luceneBm25.ts. These numbers show what it costs.)
import { create, insertMultiple, load, save, search } from '@orama/orama';
import MiniSearch from 'minisearch';
import type { KnowledgeDoc } from '../../engine/retrieve/knowledgeDoc';
import { analyzed } from '../../engine/text/normalize';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBm25, writeBm25 } from '../../adapters/embedded/embeddedIndex';
import { bm25Searcher, buildBm25 } from '../../adapters/embedded/luceneBm25';
import { heapMb, percentile, round, timed } from './stats';

export interface LibraryNumbers {
  readonly library: string;
  readonly buildS: number;
  readonly persistedMb: number;
  readonly loadS: number;
  readonly heapMb: number;
  readonly queryP50Ms: number;
  readonly queryP95Ms: number;
}

const tokenize = (text: string) => text.split(' ').filter(Boolean);

async function queryLatency(queries: readonly string[], run: (terms: string) => Promise<unknown> | unknown): Promise<number[]> {
  const samples: number[] = [];
  for (const q of queries) samples.push((await timed(() => run(analyzed(q)))).ms);
  return samples;
}

export async function compareEmbeddedLibraries(docs: readonly KnowledgeDoc[], queries: readonly string[]): Promise<LibraryNumbers[]> {
  const rows = docs.map((doc, n) => ({ n, terms: analyzed(doc.text) }));
  const out: LibraryNumbers[] = [];

  const dir = mkdtempSync(join(tmpdir(), 'chartcoder-bm25-'));
  const builtOurs = await timed(() => {
    const data = buildBm25(rows.map((r) => tokenize(r.terms)));
    writeBm25(dir, data);
    return data;
  });
  const oursBytes =
    builtOurs.value.postings.byteLength +
    builtOurs.value.frequencies.byteLength +
    builtOurs.value.offsets.byteLength +
    builtOurs.value.norms.byteLength +
    JSON.stringify(builtOurs.value.terms).length;
  const baseOurs = heapMb();
  const loadedOurs = await timed(() => bm25Searcher(readBm25(dir)));
  const oursHeap = heapMb() - baseOurs;
  rmSync(dir, { recursive: true, force: true });
  const oursSamples = await queryLatency(queries, (terms) => loadedOurs.value.search(tokenize(terms), 40, () => true));
  out.push({
    library: 'lucene-bm25 (ours)',
    buildS: round(builtOurs.ms / 1000),
    persistedMb: round(oursBytes / 1e6),
    loadS: round(loadedOurs.ms / 1000, 2),
    heapMb: oursHeap,
    queryP50Ms: round(percentile(oursSamples, 50), 2),
    queryP95Ms: round(percentile(oursSamples, 95), 2),
  });

  const options = { fields: ['terms'], idField: 'n', tokenize, processTerm: (t: string) => t, searchOptions: { bm25: { k: 1.2, b: 0.75, d: 0 } } };
  const builtMini = await timed(() => {
    const m = new MiniSearch(options);
    m.addAll(rows);
    return JSON.stringify(m);
  });
  const baseMini = heapMb();
  const loadedMini = await timed(() => MiniSearch.loadJSON(builtMini.value, options));
  const miniHeap = heapMb() - baseMini;
  const miniSamples = await queryLatency(queries, (terms) => loadedMini.value.search(terms));
  out.push({
    library: 'minisearch',
    buildS: round(builtMini.ms / 1000),
    persistedMb: round(builtMini.value.length / 1e6),
    loadS: round(loadedMini.ms / 1000, 2),
    heapMb: miniHeap,
    queryP50Ms: round(percentile(miniSamples, 50), 2),
    queryP95Ms: round(percentile(miniSamples, 95), 2),
  });

  const schema = { terms: 'string' } as const;
  const components = { tokenizer: { language: 'english', normalizationCache: new Map(), tokenize } };
  const builtOrama = await timed(async () => {
    const db = create({ schema, components });
    await insertMultiple(
      db,
      rows.map((r) => ({ id: String(r.n), terms: r.terms })),
      5_000,
    );
    return JSON.stringify(save(db));
  });
  const baseOrama = heapMb();
  const loadedOrama = await timed(() => {
    const db = create({ schema, components });
    load(db, JSON.parse(builtOrama.value));
    return db;
  });
  const oramaHeap = heapMb() - baseOrama;
  const oramaSamples = await queryLatency(queries, (terms) =>
    search(loadedOrama.value, { term: terms, properties: ['terms'], limit: 40, relevance: { k: 1.2, b: 0.75, d: 0 } }),
  );
  out.push({
    library: 'orama',
    buildS: round(builtOrama.ms / 1000),
    persistedMb: round(builtOrama.value.length / 1e6),
    loadS: round(loadedOrama.ms / 1000, 2),
    heapMb: oramaHeap,
    queryP50Ms: round(percentile(oramaSamples, 50), 2),
    queryP95Ms: round(percentile(oramaSamples, 95), 2),
  });
  return out;
}
