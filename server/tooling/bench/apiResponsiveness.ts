// `chartcoder bench api-responsiveness`: how fast /fhir/metadata answers while one large note is coded, with the
// engine in a worker thread (what `serve` does) and on the API's own thread (the baseline), in the same run.
import { openApp } from '../../app/openApp';
import { findProjectRoot } from '../../app/projectRoot';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ChartcoderError } from '../../engine/errors';
import { auditTrail } from '../../http/audit';
import { listen } from '../../http/listen';
import { createRouter } from '../../http/router';
import type { ChartcoderSettings } from '../../protocol';
import type { CodingService } from '../../app/ports';
import { noteBundle, suggestCodesParameters } from '../../app/noteBundle';

export interface ResponsivenessRow {
  readonly engine: 'worker' | 'in-process';
  readonly noteCharacters: number;
  readonly codingMs: number;
  readonly codingStatus: number;
  readonly metadataRequests: number;
  readonly metadataP50Ms: number;
  readonly metadataP95Ms: number;
  readonly metadataMaxMs: number;
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

/** Polls a URL from another process (its own event loop, so a blocked server cannot hide its own latency) until its
 * stdin closes; resolves with each request's latency in ms. */
function pollFromAnotherProcess(url: string): { stop: () => Promise<number[]> } {
  const script = `const url=process.argv[1];const out=[];let on=true;process.stdin.on('end',()=>{on=false});process.stdin.resume();
(async()=>{while(on){const t=performance.now();try{await (await fetch(url)).text()}catch{}out.push(performance.now()-t);await new Promise(r=>setTimeout(r,20))}process.stdout.write(JSON.stringify(out))})();`;
  const child = spawn(process.execPath, ['-e', script, url], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const finished = new Promise<number[]>((resolve) => child.on('close', () => resolve(output ? (JSON.parse(output) as number[]) : [])));
  return {
    stop: () => {
      child.stdin.end();
      return finished;
    },
  };
}

export async function measureResponsiveness(options: {
  settings: ChartcoderSettings;
  engine: ResponsivenessRow['engine'];
  coding: CodingService;
  note: string;
  workDir: string;
}): Promise<ResponsivenessRow> {
  const token = 'bench-responsiveness-token-0123456789';
  const http = {
    ...options.settings.http,
    port: 0,
    tokens: [{ token, scopes: ['system/Encounter.read'], client: 'bench' }],
    maxBodyBytes: 50 * 1024 * 1024,
    requestsPerMinute: 100_000,
  };
  const app = openApp(options.settings, { projectRoot: findProjectRoot(), storeDir: join(options.workDir, options.engine) });
  const router = createRouter({
    settings: { ...options.settings, http },
    suggester: async () => options.coding,
    readEncounter: async () => {
      throw new ChartcoderError('not-found', 'the bench sends a Bundle');
    },
    decisions: app.decisions,
    audit: auditTrail(app.auditLog()),
  });
  const server = await listen(http, router);
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const post = (bundle: ReturnType<typeof noteBundle>) =>
    fetch(`${base}/fhir/$suggest-codes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify(suggestCodesParameters(bundle, 'retrieval')),
    });
  try {
    // Warm the engine (and the worker) first: the bench measures coding, not opening.
    await (await post(noteBundle('Hypertension.', { encounter: 'bench-0', document: 'small' }))).text();
    const poller = pollFromAnotherProcess(`${base}/fhir/metadata`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    const res = await post(noteBundle(options.note, { encounter: 'bench-1', document: 'big' }));
    const text = await res.text();
    const result = { status: res.status, ms: Date.now() - started };
    if (res.status >= 400) process.stderr.write(`${res.status}: ${text.slice(0, 300)}\n`);
    const latencies = await poller.stop();
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      engine: options.engine,
      noteCharacters: options.note.length,
      codingMs: result.ms,
      codingStatus: result.status,
      metadataRequests: sorted.length,
      metadataP50Ms: Math.round(percentile(sorted, 0.5)),
      metadataP95Ms: Math.round(percentile(sorted, 0.95)),
      metadataMaxMs: Math.round(sorted.at(-1) ?? 0),
    };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
