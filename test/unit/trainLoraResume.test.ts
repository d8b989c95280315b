import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainedAlready } from '../../server/tooling/train/trainLora';

describe('train lora resumes after training', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'chartcoder-lora-'));
  const adapter = Buffer.from('adapter weights');
  const options = { outDir, steps: 300, rank: 8, alpha: 16, lr: 4e-4, maxTokens: 1024, seed: 7 };
  const manifest = { contentHash: 'dataset-1' };
  const run = (over: object = {}) =>
    writeFileSync(
      join(outDir, 'run.json'),
      JSON.stringify({
        dataset: { contentHash: 'dataset-1' },
        hyperParameters: { rank: 8, alpha: 16, lr: 4e-4, steps: 300, maxTokens: 1024, seed: 7 },
        adapterSha256: createHash('sha256').update(adapter).digest('hex'),
        ...over,
      }),
    );

  it('reuses only an adapter of exactly this run: the dataset, every hyper-parameter and the adapter hash agree', () => {
    assert.equal(trainedAlready(options, manifest), false, 'nothing trained yet');
    run();
    assert.equal(trainedAlready(options, manifest), false, 'no adapter file');
    writeFileSync(join(outDir, 'adapter_model.safetensors'), adapter);
    assert.equal(trainedAlready(options, manifest), true);
    assert.equal(trainedAlready(options, { contentHash: 'dataset-2' }), false, 'another dataset');
    assert.equal(trainedAlready({ ...options, steps: 600 }, manifest), false, 'other steps');
    assert.equal(trainedAlready({ ...options, lr: 2e-4 }, manifest), false, 'another learning rate');
    run({ adapterSha256: 'f'.repeat(64) });
    assert.equal(trainedAlready(options, manifest), false, 'an adapter that is not the run’s');
  });
});
