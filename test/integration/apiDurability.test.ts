// The integrator API as `chartcoder serve --http` runs it. Durability: killed with SIGKILL in the middle of a burst of
// decisions, after a restart every decision it acknowledged is there (fsync before the answer), and a retry with an
// acknowledged request id returns the stored event instead of a second one. The engine in its worker thread: a note
// is coded there while /fhir/metadata keeps answering.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import { noteBundle, suggestCodesParameters } from '../../server/app/noteBundle';
import { ROOT } from '../helpers/run';

const TOKEN = 'durability-token-0123456789';
const REQUEST_ID_URL = 'https://chartcoder.dev/fhir/StructureDefinition/request-id';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startServer(config: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), '--config', config, 'serve', '--http', '--port', String(port)], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('serving http://')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  return child;
}

const decision = (i: number) => ({
  resourceType: 'Parameters',
  parameter: [
    { name: 'subject', valueString: 'Encounter/synthetic-enc-chf' },
    { name: 'suggestion', valueString: `icd10cm|I50.2${i % 10}` },
    { name: 'action', valueCode: i % 2 ? 'accept' : 'reject' },
    { name: 'reason', valueString: `synthetic ${i}` },
  ],
});

describe('integrator API durability (kill -9 during a burst of decisions)', function () {
  this.timeout(120_000);

  it('loses no acknowledged decision, and a retried request id is not recorded twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chartcoder-durability-'));
    const config = join(dir, 'chartcoder.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        cacheDir: join(dir, 'cache'),
        http: { tokens: [{ token: TOKEN, scopes: ['system/*.*'], client: 'synthetic-ehr' }], requestsPerMinute: 100_000 },
      }),
    );
    const port = await freePort();
    const base = `http://127.0.0.1:${port}/fhir`;
    const post = (i: number) =>
      fetch(`${base}/$record-decision`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'x-request-id': `burst-${i}`, 'content-type': 'application/fhir+json' },
        body: JSON.stringify(decision(i)),
      });

    const server = await startServer(config, port);
    const acknowledged: string[] = [];
    let killed = false;
    await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        try {
          const res = await post(i);
          if (res.status === 200) acknowledged.push(`burst-${i}`);
          if (acknowledged.length >= 60 && !killed) {
            killed = true;
            server.kill('SIGKILL');
          }
        } catch {
          /* the server died under this request: not acknowledged */
        }
      }),
    );
    assert.ok(killed && acknowledged.length >= 60, `acknowledged ${acknowledged.length}`);

    const restarted = await startServer(config, port);
    try {
      const audit = (await (await fetch(`${base}/AuditEvent?_count=500`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as Bundle<AuditEvent>;
      const stored = new Set(
        (audit.entry ?? []).flatMap((e) => e.resource?.extension?.filter((x) => x.url === REQUEST_ID_URL).map((x) => x.valueString) ?? []),
      );
      const lost = acknowledged.filter((id) => !stored.has(id));
      assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged decisions lost`);
      const before = audit.total;
      const retry = await post(Number(acknowledged[0]!.split('-')[1]));
      assert.equal(retry.status, 200);
      const after = (await (await fetch(`${base}/AuditEvent?_count=500`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as Bundle;
      assert.equal(after.total, before, 'the retry returned the stored event');
      process.stderr.write(`      ${acknowledged.length} decisions acknowledged before SIGKILL, ${stored.size} stored after restart, 0 lost\n`);
    } finally {
      restarted.kill('SIGKILL');
    }
  });
});

describe('integrator API coding in its worker thread', function () {
  this.timeout(180_000);

  it('codes the CHF sample through `serve` (worker) while /fhir/metadata keeps answering', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chartcoder-worker-'));
    const config = join(dir, 'chartcoder.config.json');
    writeFileSync(
      config,
      JSON.stringify({ cacheDir: process.env['CHARTCODER_CACHE_DIR'], http: { tokens: [{ token: TOKEN, scopes: ['system/*.*'], client: 'synthetic-ehr' }] } }),
    );
    const port = await freePort();
    const server = await startServer(config, port);
    try {
      const note = readFileSync(join(ROOT, 'test/fixtures/notes/synthetic-chf-admission.txt'), 'utf8');
      const coding = fetch(`http://127.0.0.1:${port}/fhir/$suggest-codes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/fhir+json' },
        body: JSON.stringify(suggestCodesParameters(noteBundle(note, { encounter: 'w1', document: 'n1' }), 'retrieval')),
      });
      const metadata = await fetch(`http://127.0.0.1:${port}/fhir/metadata`);
      assert.equal(metadata.status, 200, 'answered while the worker opens the engine and codes');
      const res = await coding;
      const text = await res.text();
      assert.equal(res.status, 200, text.slice(0, 300));
      assert.match(text, /"code":"I50\.23"/);
    } finally {
      server.kill('SIGKILL');
    }
  });
});
