// `chartcoder serve --http [--port N]`: the integrator API (FHIR operations, audit) on loopback unless configured.
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import { createFhirClient } from '../../adapters/fhir/client';
import { openAppendLog } from '../../adapters/stores/appendLog';
import { openDecisionLog } from '../../adapters/stores/decisionLog';
import { readEncounter } from '../../app/readEncounter';
import { ChartcoderError } from '../../engine/errors';
import { fhirBaseUrl } from '../../app/health';
import { auditTrail } from '../../http/audit';
import { loadFhirDefinitions } from '../../http/inboundResources';
import { listen } from '../../http/listen';
import { inProcessCoding } from '../../app/codingService';
import { lazyOpen } from '../../app/lazyOpen';
import { workerCodingService } from '../../app/workerCodingService';
import { createRouter } from '../../http/router';
import type { ChartcoderSettings } from '../../protocol';
import { findProjectRoot } from '../provision/scripts';
import { openSuggester } from '../../app/openSuggester';
import { integerIn } from './optionParsers';

export function registerServeCommands(program: Command, settings: () => ChartcoderSettings, exit: (code: number) => void): void {
  program
    .command('serve')
    .option('--http', 'serve the integrator API over HTTP')
    .option('--port <n>', 'port', integerIn(1, 65535))
    .option('--in-process', "code on the API's own thread instead of a worker (debugging)")
    .description('the integrator API: FHIR $suggest-codes / $record-decision / AuditEvent, on 127.0.0.1 unless configured')
    .action(async (o: { http?: boolean; port?: number; inProcess?: boolean }) => {
      if (!o.http) throw new ChartcoderError('bad-input', 'name what to serve: --http');
      const s = settings();
      const http = { ...s.http, ...(o.port ? { port: o.port } : {}) };
      if (http.tokens.length === 0) process.stderr.write('chartcoder: no http.tokens configured: every PHI route will answer 401\n');
      // The engine runs in a worker thread, so a long note never holds the event loop other clients are answered on;
      // it opens on the first request, and a failed open (no index yet, a cluster down) is retried later, never kept.
      const worker = o.inProcess ? undefined : workerCodingService(s, findProjectRoot());
      const coding = worker ? async () => worker : lazyOpen(async () => inProcessCoding(await openSuggester(s, { projectRoot: findProjectRoot() })));
      const router = createRouter({
        settings: { ...s, http },
        suggester: coding,
        readEncounter: (id) => readEncounter(s, { kind: 'fhir', baseUrl: fhirBaseUrl(s), id }),
        writeToEhr: async (transaction) =>
          (await (await createFhirClient(s.fhir, fhirBaseUrl(s))).transaction({ body: transaction as never })) as unknown as Bundle,
        decisions: openDecisionLog(join(s.cacheDir, 'decisions', 'decisions.jsonl')),
        audit: auditTrail(openAppendLog<AuditEvent>(join(s.cacheDir, 'audit', 'audit.jsonl'))),
      });
      loadFhirDefinitions();
      await listen(http, router, (line) => process.stderr.write(`${line}\n`));
      process.stderr.write(`chartcoder: serving http://${http.host}:${http.port}/fhir (as ${userInfo().username})\n`);
      exit(0);
    });
}
