// `chartcoder serve --http [--port N]`: the integrator API (FHIR operations, audit) on loopback unless configured.
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import { createFhirClient } from '../adapters/fhir/client';
import { openAppendLog } from '../adapters/stores/appendLog';
import { openDecisionLog } from '../adapters/stores/decisionLog';
import { readEncounter } from '../encounter/readEncounter';
import { ChartcoderError } from '../errors';
import { fhirBaseUrl } from '../health';
import { auditTrail } from '../http/audit';
import { loadFhirDefinitions } from '../http/inboundResources';
import { listen } from '../http/listen';
import { lazyOpen } from '../suggest/lazyOpen';
import { createRouter } from '../http/router';
import type { ChartcoderSettings } from '../protocol';
import { findProjectRoot } from '../provision/scripts';
import { openSuggester } from '../suggest/openSuggester';
import { integerIn } from './optionParsers';

export function registerServeCommands(program: Command, settings: () => ChartcoderSettings, exit: (code: number) => void): void {
  program.command('serve').option('--http', 'serve the integrator API over HTTP').option('--port <n>', 'port', integerIn(1, 65535))
    .description('the integrator API: FHIR $suggest-codes / $record-decision / AuditEvent, on 127.0.0.1 unless configured')
    .action(async (o: { http?: boolean; port?: number }) => {
      if (!o.http) throw new ChartcoderError('bad-input', 'name what to serve: --http');
      const s = settings();
      const http = { ...s.http, ...(o.port ? { port: o.port } : {}) };
      if (http.tokens.length === 0) process.stderr.write('chartcoder: no http.tokens configured: every PHI route will answer 401\n');
      // Opened on the first request; a failed open (no index yet, a cluster down) is retried later, never kept.
      const suggester = lazyOpen(() => openSuggester(s, { projectRoot: findProjectRoot() }));
      const router = createRouter({
        settings: { ...s, http },
        suggester,
        readEncounter: (id) => readEncounter(s, { kind: 'fhir', baseUrl: fhirBaseUrl(s), id }),
        writeToEhr: async (transaction) => (await (await createFhirClient(s.fhir, fhirBaseUrl(s))).transaction({ body: transaction as never })) as unknown as Bundle,
        decisions: openDecisionLog(join(s.cacheDir, 'decisions', 'decisions.jsonl')),
        audit: auditTrail(openAppendLog<AuditEvent>(join(s.cacheDir, 'audit', 'audit.jsonl'))),
      });
      loadFhirDefinitions();
      await listen(http, router, (line) => process.stderr.write(`${line}\n`));
      process.stderr.write(`chartcoder: serving http://${http.host}:${http.port}/fhir (as ${userInfo().username})\n`);
      exit(0);
    });
}
