// PHI stays where it belongs: a note carrying unique marker strings is coded through the CLI (every mode), the
// language server and the HTTP API (worker), then every file Chartcoder, Elasticsearch, Ollama and the FHIR test
// server wrote since is scanned. The decision and audit stores are PHI stores by design and left out by name; the
// marker must be nowhere else.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noteBundle, suggestCodesParameters } from '../../server/app/noteBundle';
import { startLspSession } from '../helpers/lspSession';
import { cli, ROOT } from '../helpers/run';
import { localSettings } from '../helpers/settings';
import { sharedSuggester } from '../helpers/suggesters';

/** Stores that hold PHI by design (the coder's decisions and the audit trail name encounters and reasons). */
const PHI_STORES = /\/(decisions|audit)\/[^/]+\.jsonl$/;
const MAX_SCANNED_BYTES = 64 * 1024 * 1024;

function filesWrittenSince(dir: string, since: number, out: string[] = []): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) filesWrittenSince(path, since, out);
    else if (e.isFile()) {
      try {
        if (statSync(path).mtimeMs >= since) out.push(path);
      } catch {
        /* gone meanwhile */
      }
    }
  }
  return out;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

describe('PHI scan (every file written while coding a marked note)', function () {
  this.timeout(900_000);

  it('finds the marker only in the decision and audit stores', async () => {
    const since = Date.now() - 1_000;
    const settings = localSettings();
    const marker = `zqxphi${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const note =
      `${readFileSync(join(ROOT, 'test/fixtures/notes/synthetic-chf-admission.txt'), 'utf8')}\nPatient ` +
      `${marker} reports ${marker}itis and chest pain radiating to the ${marker} region.\n`;
    const work = mkdtempSync(join(tmpdir(), 'chartcoder-phi-'));
    const input = join(work, 'note.txt');
    writeFileSync(input, note);

    for (const mode of ['retrieval', 'rag', 'ft', 'ft+rag']) {
      const r = await cli(['code', input, '--mode', mode, '--json']);
      assert.equal(r.code, 0, `code --mode ${mode}: ${r.stderr.slice(0, 300)}`);
      assert.ok(!r.stderr.includes(marker), `${mode}: the CLI's log holds no note text`);
    }

    const session = await startLspSession(await sharedSuggester('embedded', settings), join(work, 'lsp-stores'));
    const uri = `file://${join(work, 'note-lsp.txt')}`;
    await session.open(uri, 'plaintext', note);
    await session.diagnostics(uri, (d) => d.length > 0);
    session.close();

    const config = join(work, 'chartcoder.config.json');
    const token = 'phi-scan-token-0123456789';
    writeFileSync(config, JSON.stringify({ cacheDir: settings.cacheDir, http: { tokens: [{ token, scopes: ['system/*.*'], client: 'phi-scan' }] } }));
    const port = await freePort();
    const server = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), '--config', config, 'serve', '--http', '--port', String(port)], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let serverLog = '';
    await new Promise<void>((resolve, reject) => {
      server.stderr!.on('data', (d: Buffer) => {
        serverLog += d.toString();
        if (serverLog.includes('serving http://')) resolve();
      });
      server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${serverLog}`)));
    });
    try {
      const bundle = noteBundle(note, { encounter: 'phi-1', document: 'phi-n1' });
      for (const mode of ['retrieval', 'rag'] as const) {
        const res = await fetch(`http://127.0.0.1:${port}/fhir/$suggest-codes`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
          body: JSON.stringify(suggestCodesParameters(bundle, mode)),
        });
        assert.equal(res.status, 200, await res.text());
      }
    } finally {
      server.kill('SIGTERM');
    }
    assert.ok(!serverLog.includes(marker), "the API's log holds no note text");

    const written = [settings.cacheDir, tmpdir(), '/var/tmp']
      .flatMap((dir) => filesWrittenSince(dir, since))
      .filter((f) => !f.startsWith(work + '/') || f.includes('/lsp-stores/'))
      .filter((f) => !PHI_STORES.test(f));
    const needle = Buffer.from(marker);
    const leaks = written.filter((f) => {
      try {
        return statSync(f).size <= MAX_SCANNED_BYTES && readFileSync(f).includes(needle);
      } catch {
        return false;
      }
    });
    process.stderr.write(`      ${written.length} files written while coding were scanned for the marker\n`);
    assert.deepEqual(leaks, [], 'note text outside the PHI stores');
  });
});
