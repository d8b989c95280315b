// `chartcoder bench http`: N concurrent integrator clients calling $suggest-codes (retrieval mode) for a while on
// loopback against the real router and engine; errors, p50/p95 latency and throughput reported, never asserted.
import { openApp } from '../../app/openApp';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ChartcoderError } from '../../engine/errors';
import { auditTrail } from '../../http/audit';
import { listen } from '../../http/listen';
import { createRouter } from '../../http/router';
import type { ChartcoderSettings } from '../../protocol';
import type { OpenedSuggester as Suggester } from '../../app/openSuggester';
import { percentile, round } from './stats';

export interface LoadReport {
  readonly clients: number;
  readonly seconds: number;
  readonly requests: number;
  readonly errors: number;
  readonly statuses: Record<string, number>;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly perSecond: number;
}

export interface LoadOptions {
  readonly settings: ChartcoderSettings;
  readonly suggester: Suggester;
  readonly projectRoot: string;
  readonly workDir: string;
  readonly clients: number;
  readonly seconds: number;
}

export async function loadTest(options: LoadOptions): Promise<LoadReport> {
  const tokens = Array.from({ length: options.clients }, (_, i) => ({
    token: `load-client-${i}-token-0123456789`,
    scopes: ['system/Encounter.read'],
    client: `load-client-${i}`,
  }));
  const http = { ...options.settings.http, port: 0, tokens };
  const app = openApp(options.settings, { projectRoot: options.projectRoot, storeDir: options.workDir, suggester: options.suggester });
  const router = createRouter({
    settings: { ...options.settings, http },
    suggester: app.coding('in-process'),
    readEncounter: async () => {
      throw new ChartcoderError('not-found', 'the load test sends Bundles');
    },
    decisions: app.decisions,
    audit: auditTrail(app.auditLog()),
  });
  const server = await listen(http, router);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir/$suggest-codes`;
  const bundle = JSON.parse(readFileSync(join(options.projectRoot, 'data', 'samples', 'synthetic-encounters.json'), 'utf8')) as unknown;
  const body = JSON.stringify({
    resourceType: 'Parameters',
    parameter: [
      { name: 'bundle', resource: bundle },
      { name: 'encounter', valueReference: { reference: 'Encounter/synthetic-enc-chf' } },
      { name: 'mode', valueCode: 'retrieval' },
    ],
  });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const until = Date.now() + options.seconds * 1000;
  try {
    await Promise.all(
      tokens.map(async ({ token }) => {
        while (Date.now() < until) {
          const started = Date.now();
          let status = 'network-error';
          try {
            const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' }, body });
            await res.arrayBuffer();
            status = String(res.status);
          } catch (err) {
            const cause = (err as { cause?: { code?: string; message?: string } }).cause;
            status = `network-error: ${cause?.code ?? cause?.message ?? (err as Error).message}`;
          }
          latencies.push(Date.now() - started);
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
      }),
    );
  } finally {
    server.close();
  }
  const errors = Object.entries(statuses)
    .filter(([s]) => s !== '200')
    .reduce((n, [, c]) => n + c, 0);
  return {
    clients: options.clients,
    seconds: options.seconds,
    requests: latencies.length,
    errors,
    statuses,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    perSecond: round(latencies.length / options.seconds, 2),
  };
}
