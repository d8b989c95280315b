// Embedding that finishes: batches sized by time, a deadline that grows with the batch, and an index build stopped
// at any point (a crash, Ollama going away) resumes from the vectors already cached; an index without all its
// vectors is said to be degraded, with the repair.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callDeadlineMs, nextBatchSize } from '../../server/adapters/ollama/embedder';
import { openEmbeddingCache } from '../../server/adapters/stores/embeddingCache';
import { knnCoverageProblem, type Embedder } from '../../server/engine/ports';
import type { KnowledgeDoc } from '../../server/engine/retrieve/knowledgeDoc';
import { silentProgress } from '../../server/indexing/progress';
import { documentVectors } from '../../server/indexing/vectors';
import { ROOT } from '../helpers/run';

const DIMS = 8;
const docs: KnowledgeDoc[] = Array.from(
  { length: 3000 },
  (_, i) =>
    ({
      id: `icd10cm:2026:code:X${i}`,
      kind: 'code',
      system: 'icd10cm',
      code: `X${i}`,
      billable: true,
      title: `condition ${i}`,
      text: `condition number ${i}`,
      fy: 2026,
    }) as unknown as KnowledgeDoc,
);

function embedder(options: { dieAfter?: number } = {}): Embedder & { embedded: number } {
  const self = {
    model: 'fake-embed@000000000000',
    embedded: 0,
    async embed(texts: readonly string[]) {
      if (options.dieAfter !== undefined && self.embedded + texts.length > options.dieAfter) throw new Error('Ollama went away');
      self.embedded += texts.length;
      return texts.map((t) => Array.from({ length: DIMS }, (_, k) => (t.length + k) / 100));
    },
  };
  return self;
}

describe('embedding that finishes', () => {
  it('a build stopped part-way resumes from the cache and embeds only what is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chartcoder-embed-'));
    await assert.rejects(documentVectors(docs, embedder({ dieAfter: 2500 }), openEmbeddingCache(dir, 'digest-1', DIMS), silentProgress), /Ollama went away/);
    const second = embedder();
    const vectors = await documentVectors(docs, second, openEmbeddingCache(dir, 'digest-1', DIMS), silentProgress);
    assert.equal(vectors.size, 3000, 'complete');
    assert.ok(second.embedded > 0 && second.embedded <= 3000 - 1024, `resumed: ${second.embedded} embedded again`);
    const third = embedder();
    await documentVectors(docs, third, openEmbeddingCache(dir, 'digest-1', DIMS), silentProgress);
    assert.equal(third.embedded, 0, 'nothing left to embed');
  });

  it('a build killed mid-write (a torn last record) resumes: the tear is cut, later records stay readable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chartcoder-embed-'));
    await assert.rejects(documentVectors(docs, embedder({ dieAfter: 1500 }), openEmbeddingCache(dir, 'digest-2', DIMS), silentProgress));
    const [file] = readdirSync(join(dir, 'embeddings'));
    appendFileSync(join(dir, 'embeddings', file!), Buffer.alloc(30, 7));
    const second = embedder();
    const vectors = await documentVectors(docs, second, openEmbeddingCache(dir, 'digest-2', DIMS), silentProgress);
    assert.equal(second.embedded, 3000 - 1024, 'only what was missing');
    assert.deepEqual([...vectors.get('icd10cm:2026:code:X2999')!], [...(await embedder().embed(['condition number 2999']))[0]!].map(Math.fround));
    const third = embedder();
    await documentVectors(docs, third, openEmbeddingCache(dir, 'digest-2', DIMS), silentProgress);
    assert.equal(third.embedded, 0, 'the records written after the tear are read back');
  });

  it('kill -9 at any point of a build: the next run completes it from what was cached', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'chartcoder-embed-'));
    const count = 5_000;
    for (const killAfterBatches of [1, 3, 6]) {
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/fixtures/processes/slowEmbeddingBuild.ts'), dir, String(count)], {
        cwd: ROOT,
      });
      let batches = 0;
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (d: Buffer) => {
          batches += d.toString().split('\n').filter(Boolean).length;
          if (batches >= killAfterBatches && child.kill('SIGKILL')) resolve();
        });
        child.on('exit', () => resolve());
      });
      // Wait until the killed child is gone (it may already be).
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    }
    const [file] = readdirSync(join(dir, 'embeddings'));
    assert.ok(statSync(join(dir, 'embeddings', file!)).size > 0, 'the killed runs left vectors behind');
    const guidelines = Array.from({ length: count }, (_, i) => ({ id: `d${i}`, kind: 'guideline', text: `guideline text ${i}` }) as unknown as KnowledgeDoc);
    const resumed = embedder();
    const vectors = await documentVectors(guidelines, resumed, openEmbeddingCache(dir, 'digest-kill', DIMS), silentProgress);
    assert.equal(vectors.size, count, 'complete');
    assert.ok(resumed.embedded < count, `resumed, not restarted: ${resumed.embedded} of ${count} embedded again`);
    assert.deepEqual([...vectors.get('d4321')!], [...(await embedder().embed(['guideline text 4321']))[0]!].map(Math.fround));
  });

  it('batches follow time: faster calls grow them, slower ones shrink them; the deadline grows with the batch', () => {
    assert.equal(nextBatchSize(16, 1_000), 32);
    assert.equal(nextBatchSize(256, 1_000), 256);
    assert.equal(nextBatchSize(64, 8_000), 64);
    assert.equal(nextBatchSize(64, 20_000), 32);
    assert.equal(nextBatchSize(4, 60_000), 4);
    assert.ok(callDeadlineMs(256) > callDeadlineMs(16));
  });

  it('an index without all its vectors is degraded, with the repair; a complete one (or an old one) is not', () => {
    assert.equal(knnCoverageProblem({ vectors: 25_600, expected: 78_730 }), 'kNN degraded: 25600 of 78730 vectors — run chartcoder index build');
    assert.equal(knnCoverageProblem({ vectors: 78_730, expected: 78_730 }), undefined);
    assert.equal(knnCoverageProblem({ vectors: 78_730 }), undefined);
  });
});
