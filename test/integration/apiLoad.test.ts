// Load on the integrator API: 20 concurrent $suggest-codes clients (retrieval mode) for 60 s on loopback with the
// real engine: no errors. Latency is reported, never asserted.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTest } from '../../server/tooling/bench/httpLoad';
import { ROOT } from '../helpers/run';
import { localSettings } from '../helpers/settings';
import { sharedSuggester } from '../helpers/suggesters';

describe('integrator API under load', function () {
  this.timeout(5 * 60 * 1000);

  it('20 concurrent clients for 60 s: 0 errors (p50/p95 reported)', async () => {
    const settings = localSettings();
    const suggester = await sharedSuggester('embedded', settings);
    const report = await loadTest({
      settings,
      suggester,
      projectRoot: ROOT,
      workDir: mkdtempSync(join(tmpdir(), 'chartcoder-load-')),
      clients: 20,
      seconds: 60,
    });
    process.stderr.write(`      ${report.requests} requests, ${report.errors} errors, p50 ${report.p50Ms} ms, p95 ${report.p95Ms} ms, ${report.perSecond}/s\n`);
    assert.equal(report.errors, 0, JSON.stringify(report.statuses));
    assert.ok(report.requests >= 20);
  });
});
