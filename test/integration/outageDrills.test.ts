// Outage drills: Ollama, Elasticsearch and the FHIR server go away and come back, as Chartcoder sees them. A TCP proxy stands between
// Chartcoder and the real service (the way toxiproxy drills are run), so the suite's services keep running for the
// other tests: "down" refuses and cuts every connection, "up" forwards again. The result says what degraded, no code
// is shown as if nothing happened, and Chartcoder recovers by itself, without being opened again.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { encounterOfNote } from '../../fhir';
import { readEncounter } from '../../server/app/readEncounter';
import { finalResult } from '../../server/engine/suggest/suggestEncounter';
import { fhirBaseUrl } from '../../server/app/health';
import { openSuggester } from '../../server/app/openSuggester';
import { ROOT } from '../helpers/run';
import { localSettings } from '../helpers/settings';
import { sharedParts } from '../helpers/suggesters';

interface Proxy {
  readonly port: number;
  up(): void;
  /** Refuses new connections and cuts those open (a service stopped mid-request). */
  down(): void;
  close(): Promise<void>;
}

async function tcpProxy(target: { host: string; port: number }): Promise<Proxy> {
  let open = true;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (!open) return void client.destroy();
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    up: () => {
      open = true;
    },
    down: () => {
      open = false;
      for (const s of sockets) s.destroy();
    },
    // Closing cuts what is still open: server.close() alone waits for every keep-alive connection to end.
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

describe('outage drills (a proxy in front of the real services)', function () {
  this.timeout(600_000);
  const settings = localSettings();

  it('Ollama goes away mid-request and comes back: said in the result, then kNN and the model are used again', async () => {
    const ollama = new URL(settings.ollama.host);
    const proxy = await tcpProxy({ host: ollama.hostname, port: Number(ollama.port) });
    try {
      const behind = { ...settings, ollama: { ...settings.ollama, host: `http://127.0.0.1:${proxy.port}`, requestTimeoutMs: 60_000 } };
      const suggester = await openSuggester(behind, { projectRoot: ROOT, parts: await sharedParts('embedded') });
      const note = readFileSync(join(ROOT, 'test/fixtures/notes/synthetic-chf-admission.txt'), 'utf8');
      const view = encounterOfNote({ name: 'Encounter/drill-1', text: note, date: '2026-01-10' });
      const rag = () => finalResult(suggester.suggest(view, { mode: 'rag', maxMentions: 4 }));

      const cut = rag();
      setTimeout(() => proxy.down(), 300);
      const during = await cut;
      assert.ok(during.degradations.length > 0, 'the outage is said in the result');
      assert.ok(
        during.degradations.some((d) => /model|knn/i.test(d)),
        during.degradations.join(' | '),
      );

      const down = await rag();
      assert.ok(
        down.degradations.some((d) => /ranked by retrieval/.test(d)),
        `down: ${down.degradations.join(' | ')}`,
      );
      assert.ok(down.suggestions.length > 0, 'still coded, by retrieval, and said so');

      proxy.up();
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const back = await rag();
      assert.deepEqual(
        back.degradations.filter((d) => /knn|unreachable|unavailable/i.test(d)),
        [],
        `after Ollama returned: ${back.degradations.join(' | ')}`,
      );
      assert.ok(back.stats.modelCalls > 0, 'the model answers again');
    } finally {
      await proxy.close();
    }
  });

  it('Elasticsearch goes away mid-request and comes back: said in the result, nothing coded from nothing, then used again', async () => {
    await sharedParts('es'); // the Elasticsearch index is built
    const proxy = await tcpProxy({ host: '127.0.0.1', port: settings.localPorts.elasticsearch });
    try {
      const behind = { ...settings, elasticsearch: { ...settings.elasticsearch, url: `http://127.0.0.1:${proxy.port}`, requestTimeoutMs: 10_000 } };
      // Per-mention hybrid retrieval, the path that searches the cluster on every note (the learned coder reads it
      // only when it opens): no coding model, so retrieval mode asks Elasticsearch for each mention.
      const suggester = await openSuggester(behind, { projectRoot: ROOT, backend: 'es', codingModel: 'no-such-coding-model' });
      const note = readFileSync(join(ROOT, 'test/fixtures/notes/synthetic-chf-admission.txt'), 'utf8');
      const view = encounterOfNote({ name: 'Encounter/drill-es', text: note, date: '2026-01-10' });
      const code = () => finalResult(suggester.suggest(view, { mode: 'retrieval', maxMentions: 6 }));
      const searchDegraded = (r: { degradations: readonly string[] }) => r.degradations.filter((d) => /^(bm25|knn): degraded/.test(d));

      const healthy = await code();
      assert.deepEqual(searchDegraded(healthy), [], healthy.degradations.join(' | '));
      assert.ok(healthy.suggestions.length > 0);

      const cut = code();
      setTimeout(() => proxy.down(), 50);
      await cut; // whatever it got before the cut, it answers
      const down = await code();
      assert.ok(searchDegraded(down).length > 0, `down: ${down.degradations.join(' | ')}`);
      assert.equal(down.suggestions.length, 0, 'no code shown as if nothing happened: with no guidance found, nothing is suggested');

      proxy.up();
      const back = await code();
      assert.deepEqual(searchDegraded(back), [], `after Elasticsearch returned: ${back.degradations.join(' | ')}`);
      assert.deepEqual(
        back.suggestions.map((s) => s.code),
        healthy.suggestions.map((s) => s.code),
        'the same codes as before the outage, without opening anything again',
      );
    } finally {
      await proxy.close();
    }
  });

  it('the FHIR server goes away and comes back: a clear error while it is away, the encounter again after', async () => {
    const fhir = new URL(fhirBaseUrl(settings));
    const proxy = await tcpProxy({ host: fhir.hostname, port: Number(fhir.port) });
    try {
      const behind = { ...settings, fhir: { ...settings.fhir, baseUrl: `http://127.0.0.1:${proxy.port}${fhir.pathname}`, requestTimeoutMs: 10_000 } };
      const read = () => readEncounter(behind, { kind: 'fhir', baseUrl: fhirBaseUrl(behind), id: 'synthetic-enc-chf' });
      assert.ok((await read()).notes.length > 0);
      proxy.down();
      await assert.rejects(read(), (err: Error) => /127\.0\.0\.1|FHIR|fetch|ECONNRESET|socket|refused/i.test(err.message));
      proxy.up();
      assert.ok((await read()).notes.length > 0, 'read again, without restarting anything');
    } finally {
      await proxy.close();
    }
  });
});
