import assert from 'node:assert/strict';
import { ChartcoderError } from '../../server/engine/errors';
import type { Embedder, LegHit, SearchBackend } from '../../server/engine/ports';
import { createHybridRetriever, MAX_QUERY_CHARS } from '../../server/engine/retrieve/hybridRetriever';
import type { KnowledgeDoc } from '../../server/engine/retrieve/knowledgeDoc';
import { reciprocalRankFusion } from '../../server/engine/retrieve/rrf';

const doc = (code: string): KnowledgeDoc => ({
  id: `icd10cm:2026:code:${code}`,
  kind: 'code',
  system: 'icd10cm',
  systemUri: 'http://hl7.org/fhir/sid/icd-10-cm',
  fy: 2026,
  title: `synthetic ${code}`,
  text: `synthetic ${code}`,
  code,
  codes: [code],
  source: { file: 'synthetic' },
});

interface FakeCalls {
  lexical: string[][];
  vector: number;
}

function fakeBackend(lexical: string[], vector: string[], calls: FakeCalls = { lexical: [], vector: 0 }): SearchBackend {
  const hits = (codes: string[]): LegHit[] => codes.map((code, i) => ({ doc: doc(code), score: 10 - i }));
  return {
    name: 'fake',
    indexVersion: async () => 'fake-1',
    vectorCoverage: async () => ({ vectors: vector.length }),
    lexical: async (terms) => {
      calls.lexical.push([...terms]);
      return hits(lexical);
    },
    vector: async () => {
      calls.vector++;
      return hits(vector);
    },
    document: async () => undefined,
  };
}

const embedder: Embedder = { model: 'fake-embed', embed: async (texts) => texts.map(() => [1, 0, 0]) };

describe('reciprocal rank fusion', () => {
  it('sums 1/(60 + rank) over the legs, keeps per-leg ranks and breaks ties by best rank', () => {
    const fused = reciprocalRankFusion({
      bm25: [
        { id: 'a', score: 9 },
        { id: 'b', score: 8 },
      ],
      knn: [
        { id: 'b', score: 0.9 },
        { id: 'c', score: 0.8 },
      ],
    });
    assert.deepEqual(
      fused.map((f) => f.id),
      ['b', 'a', 'c'],
    );
    assert.equal(fused[0]?.fusedScore, 1 / 62 + 1 / 61);
    assert.deepEqual(fused[0]?.ranks, { bm25: 2, knn: 1 });
    assert.equal(fused[1]?.fusedScore, 1 / 61);
  });

  it('counts a document once per leg even if a leg repeats it', () => {
    const fused = reciprocalRankFusion({
      bm25: [
        { id: 'a', score: 2 },
        { id: 'a', score: 1 },
      ],
    });
    assert.equal(fused[0]?.fusedScore, 1 / 61);
  });
});

describe('hybrid retriever', () => {
  it('fuses both legs and reports each', async () => {
    const retriever = createHybridRetriever({ backend: fakeBackend(['I50.9', 'I50.23'], ['I50.23', 'I50.21']), embedder });
    const result = await retriever.search({ text: 'CHF exacerbation', k: 3 });
    assert.deepEqual(
      result.hits.map((h) => h.doc.code),
      ['I50.23', 'I50.9', 'I50.21'],
    );
    assert.equal(result.fusion, 'rrf');
    assert.equal(result.legs.bm25.state, 'ok');
    assert.deepEqual(result.query.expansions, [{ abbreviation: 'chf', expansion: 'congestive heart failure' }]);
    assert.equal(result.indexVersion, 'fake-1');
  });

  it('BM25 answers alone when the embedder fails, and the result says why', async () => {
    const down: Embedder = {
      model: 'down',
      embed: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:1');
      },
    };
    const result = await createHybridRetriever({ backend: fakeBackend(['I50.9'], ['X']), embedder: down }).search({ text: 'heart failure' });
    assert.deepEqual(
      result.hits.map((h) => h.doc.code),
      ['I50.9'],
    );
    assert.equal(result.fusion, 'single-leg');
    assert.deepEqual(result.legs.knn, { state: 'degraded', reason: 'connect ECONNREFUSED 127.0.0.1:1' });
  });

  it('a leg that outlives its timeout is degraded, not awaited', async () => {
    const slow: Embedder = {
      model: 'slow',
      embed: (_t, signal) => new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')))),
    };
    const result = await createHybridRetriever({ backend: fakeBackend(['I50.9'], []), embedder: slow, legTimeoutMs: 30 }).search({ text: 'heart failure' });
    assert.deepEqual(result.legs.knn, { state: 'degraded', reason: 'timed out after 30 ms' });
    assert.equal(result.hits.length, 1);
  });

  it('without an embedder the kNN leg is skipped and says so', async () => {
    const result = await createHybridRetriever({ backend: fakeBackend(['I50.9'], []) }).search({ text: 'heart failure' });
    assert.deepEqual(result.legs.knn, { state: 'skipped', reason: 'no embedding model configured' });
  });

  it('refuses an empty query and an out-of-range k with a query-invalid error', async () => {
    const retriever = createHybridRetriever({ backend: fakeBackend([], []), embedder });
    for (const request of [{ text: '   ' }, { text: 'x', k: 0 }, { text: 'x', k: 1000 }, { text: 'x', k: 2.5 }]) {
      await assert.rejects(retriever.search(request), (err: unknown) => err instanceof ChartcoderError && err.reason === 'query-invalid');
    }
  });

  it('bounds a 100 KB query: truncated, flagged, still answered', async () => {
    const calls: FakeCalls = { lexical: [], vector: 0 };
    const result = await createHybridRetriever({ backend: fakeBackend(['I50.9'], ['I50.9'], calls), embedder }).search({
      text: 'heart failure '.repeat(8_000),
    });
    assert.equal(result.query.truncated, true);
    assert.ok((calls.lexical[0]?.length ?? 0) <= MAX_QUERY_CHARS / 2);
    assert.equal(result.hits.length, 1);
  });

  it('a query of stopwords only skips BM25 instead of sending an empty query', async () => {
    const calls: FakeCalls = { lexical: [], vector: 0 };
    const result = await createHybridRetriever({ backend: fakeBackend(['A'], ['I50.9'], calls), embedder }).search({ text: 'of the and' });
    assert.equal(calls.lexical.length, 0);
    assert.equal(result.legs.bm25.state, 'skipped');
    assert.deepEqual(
      result.hits.map((h) => h.doc.code),
      ['I50.9'],
    );
  });

  it('lets a cluster that offers server-side RRF fuse, and fuses here when that call fails', async () => {
    const fused: LegHit[] = [{ doc: doc('I50.23'), score: 0.5 }];
    const server = { ...fakeBackend(['I50.9'], ['I50.21']), serverFusion: async () => fused };
    const result = await createHybridRetriever({ backend: server, embedder }).search({ text: 'heart failure' });
    assert.equal(result.fusion, 'server-rrf');
    assert.deepEqual(
      result.hits.map((h) => h.doc.code),
      ['I50.23'],
    );
    const failing = {
      ...fakeBackend(['I50.9'], ['I50.21']),
      serverFusion: async () => {
        throw new Error('unknown retriever [rrf]');
      },
    };
    const fallback = await createHybridRetriever({ backend: failing, embedder }).search({ text: 'heart failure' });
    assert.equal(fallback.fusion, 'rrf');
    assert.deepEqual(fallback.hits.map((h) => h.doc.code).sort(), ['I50.21', 'I50.9']);
  });
});
