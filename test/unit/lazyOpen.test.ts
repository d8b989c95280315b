// A failed engine open heals: retried after a backoff that doubles, kept once it succeeds.
import assert from 'node:assert/strict';
import { lazyOpen } from '../../server/app/lazyOpen';

describe('lazily opened engine', () => {
  it('a failure is answered again until its retry time, then retried with a doubling wait; a success is kept', async () => {
    let now = 0;
    let opens = 0;
    let ready = false;
    const open = lazyOpen(
      async () => {
        opens++;
        if (!ready) throw new Error(`no index (${opens})`);
        return 'engine';
      },
      { firstRetryMs: 1000, maxRetryMs: 4000, now: () => now },
    );
    await assert.rejects(open(), /no index \(1\)/);
    await assert.rejects(open(), /no index \(1\)/, 'within the wait: the same failure, no new attempt');
    assert.equal(opens, 1);
    now = 1000;
    await assert.rejects(open(), /no index \(2\)/);
    now = 2500;
    await assert.rejects(open(), /no index \(2\)/, 'the wait doubled to 2 s');
    now = 3000;
    ready = true;
    assert.equal(await open(), 'engine', 'the index was built meanwhile: used without a restart');
    assert.equal(await open(), 'engine');
    assert.equal(opens, 3);
  });

  it('callers arriving during an open share it', async () => {
    let opens = 0;
    const open = lazyOpen(async () => {
      opens++;
      await new Promise((r) => setTimeout(r, 10));
      return opens;
    });
    assert.deepEqual(await Promise.all([open(), open(), open()]), [1, 1, 1]);
  });
});
