// Knowledge documents in Elasticsearch: one concrete index per build, found through a per-FY alias that is
// swapped atomically, so a re-index never takes search down. Text is analysed by our own normalizer (the test
// distribution has no analysis-common) and stored pre-tokenized in a whitespace-analysed field.
import type { Client, estypes } from '@elastic/elasticsearch';
import { ChartcoderError } from '../../engine/errors';
import type { IndexContent, LegHit, SearchBackend } from '../../engine/ports';
import type { KnowledgeDoc } from '../../engine/retrieve/knowledgeDoc';
import type { SearchFilters } from '../../engine/retrieve/search';
import { analyzed } from '../../engine/text/normalize';

export const knowledgeAlias = (prefix: string, fy: number): string => `${prefix}-knowledge-fy${fy}`;

const mappings = (dims: number): estypes.MappingTypeMapping => ({
  dynamic: 'strict',
  properties: {
    kind: { type: 'keyword' },
    system: { type: 'keyword' },
    fy: { type: 'integer' },
    code: { type: 'keyword' },
    codes: { type: 'keyword' },
    billable: { type: 'boolean' },
    chapter: { type: 'keyword' },
    terms: { type: 'text', analyzer: 'whitespace', similarity: 'BM25' },
    embedding: { type: 'dense_vector', dims, index: true, similarity: 'cosine', index_options: { type: 'hnsw', m: 16, ef_construction: 100 } },
    doc: { type: 'object', enabled: false },
  },
});

function filterClauses(filters: SearchFilters): estypes.QueryDslQueryContainer[] {
  return [
    ...(filters.systems?.length ? [{ terms: { system: [...filters.systems] } }] : []),
    ...(filters.kinds?.length ? [{ terms: { kind: [...filters.kinds] } }] : []),
    ...(filters.billable !== undefined ? [{ term: { billable: filters.billable } }] : []),
    ...(filters.fy !== undefined ? [{ term: { fy: filters.fy } }] : []),
    ...(filters.chapter !== undefined ? [{ term: { chapter: filters.chapter } }] : []),
  ];
}

/** The `_search` bodies both legs send; exported so the benchmark can replay them as bare requests. */
export const lexicalBody = (terms: readonly string[], filters: SearchFilters, size: number): estypes.SearchRequest => ({
  size,
  _source: ['doc'],
  track_total_hits: false,
  query: { bool: { must: [{ match: { terms: { query: terms.join(' ') } } }], filter: filterClauses(filters) } },
});

export const vectorBody = (vector: readonly number[], filters: SearchFilters, size: number): estypes.SearchRequest => ({
  size,
  _source: ['doc'],
  knn: { field: 'embedding', query_vector: [...vector], k: size, num_candidates: Math.max(100, size * 4), filter: filterClauses(filters) },
});

/** The server-side `rrf` retriever over the same two legs (ES ≥ 8.14 with a license that includes it). */
export const serverFusionBody = (terms: readonly string[], vector: readonly number[], filters: SearchFilters, size: number): estypes.SearchRequest => ({
  size,
  _source: ['doc'],
  retriever: {
    rrf: {
      retrievers: [
        { standard: { query: lexicalBody(terms, filters, size).query! } },
        { knn: { field: 'embedding', query_vector: [...vector], k: size, num_candidates: Math.max(100, size * 4), filter: filterClauses(filters) } },
      ],
      rank_window_size: Math.max(size, 20),
      rank_constant: 60,
    },
  },
});

/** Asks the cluster once whether it runs the `rrf` retriever; the answer (and why not) is kept with the backend. */
export async function probeServerFusion(client: Client, index: string): Promise<{ readonly available: boolean; readonly reason?: string }> {
  try {
    await client.search({
      index,
      size: 0,
      retriever: { rrf: { retrievers: [{ standard: { query: { match_all: {} } } }, { standard: { query: { match_all: {} } } }] } },
    });
    return { available: true };
  } catch (err) {
    return { available: false, reason: (err as Error).message.split('\n')[0]!.slice(0, 200) };
  }
}

export interface ElasticsearchBuildInput extends IndexContent {
  readonly prefix: string;
  readonly fy: number;
  readonly onProgress?: (indexed: number) => void;
}

export async function buildElasticsearchIndex(client: Client, input: ElasticsearchBuildInput): Promise<{ index: string; alias: string }> {
  const alias = knowledgeAlias(input.prefix, input.fy);
  const index = `${alias}-${input.knowledgeVersion.replace(/^fy\d+-/, '')}-${Date.now()}`;
  await client.indices.create({ index, settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: '-1' }, mappings: mappings(input.dims) });
  let indexed = 0;
  const result = await client.helpers.bulk({
    datasource: input.docs as KnowledgeDoc[],
    flushBytes: 4_000_000,
    concurrency: 1, // keeps Lucene document order = release order, so BM25 ties break as in the embedded index
    onDocument: (doc) => [{ index: { _index: index, _id: doc.id } }, document(doc, input.vectors.get(doc.id))],
    onSuccess: () => {
      if (++indexed % 5_000 === 0) input.onProgress?.(indexed);
    },
    onDrop: () => undefined,
  });
  input.onProgress?.(indexed);
  if (result.failed > 0) {
    await client.indices.delete({ index });
    throw new ChartcoderError('service-unavailable', `Elasticsearch rejected ${result.failed} of ${input.docs.length} documents; the old index stays live`);
  }
  await client.indices.putSettings({ index, settings: { refresh_interval: '1s' } });
  await client.indices.refresh({ index });
  await client.indices.putMapping({
    index,
    _meta: { knowledgeVersion: input.knowledgeVersion, embedModel: input.embedModel ?? null, expectedVectors: input.expectedVectors },
  });
  const previous = await aliasTargets(client, alias);
  await client.indices.updateAliases({ actions: [...previous.map((old) => ({ remove: { index: old, alias } })), { add: { index, alias } }] });
  for (const old of previous) await client.indices.delete({ index: old }, { ignore: [404] });
  return { index, alias };
}

function document(doc: KnowledgeDoc, vector: Float32Array | undefined): Record<string, unknown> {
  return {
    kind: doc.kind,
    system: doc.system,
    fy: doc.fy,
    code: doc.code,
    codes: doc.codes,
    billable: doc.billable,
    chapter: doc.chapter,
    terms: analyzed(doc.text),
    ...(vector ? { embedding: Array.from(vector) } : {}),
    doc,
  };
}

/** The indices behind an alias (none when it does not exist: the 404 body's keys are not index names). */
async function aliasTargets(client: Client, alias: string): Promise<string[]> {
  const found = await client.indices.getAlias({ name: alias }, { ignore: [404] });
  return Object.keys(found).filter((name) => name !== 'error' && name !== 'status');
}

export async function knowledgeIndexOf(client: Client, alias: string): Promise<string | undefined> {
  return (await aliasTargets(client, alias))[0];
}

export async function openElasticsearchBackend(
  client: Client,
  prefix: string,
  fy: number,
): Promise<SearchBackend & { readonly embedModel?: string; readonly serverFusionProbe: { available: boolean; reason?: string } }> {
  const alias = knowledgeAlias(prefix, fy);
  const index = await knowledgeIndexOf(client, alias);
  if (!index) throw new ChartcoderError('index-missing', `no Elasticsearch index behind alias ${alias} (run: chartcoder index build --backend es --fy ${fy})`);
  const mapping = await client.indices.getMapping({ index });
  const embedModel = mapping[index]?.mappings._meta?.['embedModel'];
  const serverFusionProbe = await probeServerFusion(client, alias);
  const hits = (response: estypes.SearchResponse<{ doc: KnowledgeDoc }>): LegHit[] =>
    response.hits.hits.flatMap((hit) => (hit._source ? [{ doc: hit._source.doc, score: hit._score ?? 0 }] : []));
  return {
    name: 'elasticsearch',
    ...(typeof embedModel === 'string' ? { embedModel } : {}),
    indexVersion: async () => index,
    vectorCoverage: async () => {
      const expected = mapping[index]?.mappings._meta?.['expectedVectors'];
      const vectors = (await client.count({ index: alias, query: { exists: { field: 'embedding' } } })).count;
      return { vectors, ...(typeof expected === 'number' ? { expected } : {}) };
    },
    lexical: async (terms, filters, size, signal) =>
      terms.length === 0 ? [] : hits(await client.search<{ doc: KnowledgeDoc }>({ index: alias, ...lexicalBody(terms, filters, size) }, { signal })),
    vector: async (vector, filters, size, signal) =>
      hits(await client.search<{ doc: KnowledgeDoc }>({ index: alias, ...vectorBody(vector, filters, size) }, { signal })),
    document: async (id, signal) => {
      const found = await client.get<{ doc: KnowledgeDoc }>({ index: alias, id, _source_includes: ['doc'] }, { ignore: [404], ...(signal ? { signal } : {}) });
      return found.found ? found._source?.doc : undefined;
    },
    serverFusionProbe,
    ...(serverFusionProbe.available
      ? {
          serverFusion: async (terms: readonly string[], vector: readonly number[], filters: SearchFilters, size: number, signal: AbortSignal) =>
            hits(await client.search<{ doc: KnowledgeDoc }>({ index: alias, ...serverFusionBody(terms, vector, filters, size) }, { signal })),
        }
      : {}),
  };
}
