// A failed provisioning step prints one line naming what failed and how to fix it, and exits non-zero.
// These run the real scripts with prerequisites taken away; nothing is downloaded.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastLine, ROOT, run } from '../helpers/run';

const script = (name: string) => join(ROOT, 'scripts', `${name}.sh`);
const freshCache = () => mkdtempSync(join(tmpdir(), 'chartcoder-cache-'));

function listen(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer((socket) => socket.destroy());
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
const portOf = (server: Server) => (server.address() as { port: number }).port;

/** A loopback port nothing listens on. */
async function freePort(): Promise<number> {
  const server = await listen();
  const port = portOf(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('provisioning failures', () => {
  it('Elasticsearch on a busy port', async () => {
    const server = await listen();
    try {
      const r = await run('bash', [script('es'), 'start'], { ...process.env, CHARTCODER_CACHE_DIR: freshCache(), CHARTCODER_ES_PORT: String(portOf(server)) });
      assert.equal(r.code, 1);
      assert.equal(lastLine(r.stderr), `chartcoder: Elasticsearch start failed: port ${portOf(server)} is busy; stop what uses it or set CHARTCODER_ES_PORT`);
    } finally {
      server.close();
    }
  });

  it('Elasticsearch with a Java older than 17', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'chartcoder-oldjava-'));
    writeFileSync(join(bin, 'java'), '#!/bin/sh\necho \'openjdk version "11.0.2" 2019-01-15\' >&2\n');
    chmodSync(join(bin, 'java'), 0o755);
    const port = await freePort();
    const r = await run('bash', [script('es'), 'start'], {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      CHARTCODER_CACHE_DIR: freshCache(),
      CHARTCODER_ES_PORT: String(port),
    });
    assert.equal(r.code, 1);
    assert.match(
      lastLine(r.stderr),
      /^chartcoder: Elasticsearch start failed: Java 11 found, Java 17 or newer is required \(apt-get install openjdk-17-jre-headless\)$/,
    );
  });

  it('Ollama build without Go', async () => {
    const port = await freePort();
    const r = await run('bash', [script('ollama'), 'start'], {
      ...process.env,
      PATH: '/usr/bin:/bin',
      CHARTCODER_CACHE_DIR: freshCache(),
      CHARTCODER_OLLAMA_PORT: String(port),
    });
    assert.equal(r.code, 1);
    assert.equal(lastLine(r.stderr), "chartcoder: Ollama build failed: 'go' is not installed (install Go 1.26 and put it on PATH)");
  });

  it('model import with Ollama down', async () => {
    const port = await freePort();
    const r = await run('bash', [script('models'), 'pull'], {
      ...process.env,
      CHARTCODER_CACHE_DIR: freshCache(),
      CHARTCODER_OLLAMA_HOST: `http://127.0.0.1:${port}`,
    });
    assert.equal(r.code, 1);
    assert.equal(lastLine(r.stderr), `chartcoder: model import failed: Ollama is not answering at http://127.0.0.1:${port} (chartcoder services start ollama)`);
  });
});
