import assert from 'node:assert/strict';
import { bm25Searcher, buildBm25, lengthToNorm, normToLength } from '../../server/adapters/embedded/luceneBm25';

describe('Lucene-compatible BM25 (embedded index)', () => {
  it("stores document length as Lucene's one-byte norm: exact below 24 tokens, 4-bit mantissa above", () => {
    assert.deepEqual(
      [0, 1, 23, 24, 31].map((n) => normToLength(lengthToNorm(n))),
      [0, 1, 23, 24, 31],
    );
    assert.equal(normToLength(lengthToNorm(100)), 96); // SmallFloat.byte4ToInt(SmallFloat.intToByte4(100))
    assert.equal(lengthToNorm(2 ** 31 - 1), 255);
  });

  it('scores idf · (k1 + 1) · tf / (tf + k1 · (1 − b + b · dl / avgdl)) per query token, summed', () => {
    const docs = [['heart', 'failur'], ['heart', 'heart', 'murmur', 'function'], ['kidnei']];
    const hits = bm25Searcher(buildBm25(docs)).search(['heart', 'failur'], 10, () => true);
    const avgdl = 7 / 3;
    const idf = (n: number) => Math.log(1 + (3 - n + 0.5) / (n + 0.5));
    const term = (n: number, tf: number, dl: number) => (idf(n) * 2.2 * tf) / (tf + 1.2 * (0.25 + (0.75 * dl) / avgdl));
    assert.deepEqual(
      hits.map((h) => h.doc),
      [0, 1],
    );
    assert.ok(Math.abs(hits[0]!.score - (term(2, 1, 2) + term(1, 1, 2))) < 1e-9);
    assert.ok(Math.abs(hits[1]!.score - term(2, 2, 4)) < 1e-9);
  });

  it('breaks ties by document order, filters, and resets between queries', () => {
    const searcher = bm25Searcher(buildBm25([['a'], ['a'], ['a']]));
    assert.deepEqual(
      searcher.search(['a'], 2, () => true).map((h) => h.doc),
      [0, 1],
    );
    assert.deepEqual(
      searcher.search(['a'], 5, (doc) => doc !== 0).map((h) => h.doc),
      [1, 2],
    );
    const again = searcher.search(['a'], 1, () => true);
    assert.equal(again[0]?.score, searcher.search(['a'], 1, () => true)[0]?.score);
    assert.deepEqual(
      searcher.search(['zzz'], 5, () => true),
      [],
    );
  });
});
