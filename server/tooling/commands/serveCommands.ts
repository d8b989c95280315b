// `chartcoder serve --http [--port N]`: the integrator API (FHIR operations, audit) on loopback unless configured.
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { openApp } from '../../app/openApp';
import { ChartcoderError } from '../../engine/errors';
import { auditTrail } from '../../http/audit';
import { loadFhirDefinitions } from '../../http/inboundResources';
import { listen } from '../../http/listen';
import { createRouter } from '../../http/router';
import type { ChartcoderSettings } from '../../protocol';
import { findProjectRoot } from '../../app/projectRoot';
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
      const app = openApp(s, { projectRoot: findProjectRoot() });
      const router = createRouter({
        settings: { ...s, http },
        suggester: app.coding(o.inProcess ? 'in-process' : 'worker'),
        readEncounter: app.readEncounter,
        writeToEhr: app.writeToEhr,
        decisions: app.decisions,
        audit: auditTrail(app.auditLog()),
      });
      loadFhirDefinitions();
      await listen(http, router, (line) => process.stderr.write(`${line}\n`));
      process.stderr.write(`chartcoder: serving http://${http.host}:${http.port}/fhir (as ${userInfo().username})\n`);
      exit(0);
    });
}
