// The composition root: the one place the adapters behind the ports are built (stores, the FHIR client, the coding
// engine, the service probes), for the language server (main.ts), the integrator API (`serve`), the benchmarks and
// the test helpers. The suggester opens on first use, and a failed open (no index yet, a cluster down) is tried again
// on a later request rather than kept.
import { join } from 'node:path';
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import type { EncounterView } from '../../fhir';
import { createFhirClient } from '../adapters/fhir/client';
import { openAppendLog } from '../adapters/stores/appendLog';
import { openCoderStores } from '../adapters/stores/coderStores';
import type { ChartcoderSettings, EncounterSummary } from '../protocol';
import { inProcessCoding } from './codingService';
import { editorHealth } from './editorHealth';
import { encounterFinder, encounterLoader } from './encounterSources';
import { fhirBaseUrl } from './health';
import { lazyOpen } from './lazyOpen';
import { adapterVersionOf } from './modelCard';
import { openSuggester } from './openSuggester';
import type { AppendLog, CdiQueryStore, CodingService, DecisionStore, EncounterLoader, ServiceProbe, Suggester } from './ports';
import { readEncounter } from './readEncounter';
import { workerCodingService } from './workerCodingService';

export interface AppOptions {
  readonly projectRoot: string;
  /** One folder for decisions, CDI query items and the audit log (default: <cacheDir>/decisions and <cacheDir>/audit). */
  readonly storeDir?: string;
  /** A suggester opened elsewhere (benchmarks, tests) instead of the one opened on first use. */
  readonly suggester?: Suggester;
}

export interface App {
  readonly suggester: () => Promise<Suggester>;
  readonly decisions: DecisionStore;
  readonly cdiQueries: CdiQueryStore;
  /** The editor's encounters: the configured FHIR server or a Bundle file. */
  readonly loadEncounter: EncounterLoader;
  readonly findEncounters: (text?: string) => Promise<EncounterSummary[]>;
  /** The API's encounters, by id, from the FHIR server (configured, or the local test server). */
  readonly readEncounter: (id: string) => Promise<EncounterView>;
  readonly writeToEhr: (transaction: Bundle) => Promise<Bundle>;
  readonly serviceHealth: ServiceProbe;
  /** The API's coding engine: in a worker thread (a long note never holds the event loop), or in this process. */
  coding(where: 'worker' | 'in-process'): () => Promise<CodingService>;
  /** The audit trail's log, opened on first use (the API's; the editor does not write one). */
  auditLog(): AppendLog<AuditEvent>;
  close(): void;
}

export function openApp(settings: ChartcoderSettings, options: AppOptions): App {
  const suggester = options.suggester ? async () => options.suggester! : lazyOpen(() => openSuggester(settings, { projectRoot: options.projectRoot }));
  const stores = openCoderStores(options.storeDir ?? join(settings.cacheDir, 'decisions'));
  let audit: AppendLog<AuditEvent> | undefined;
  let worker: ReturnType<typeof workerCodingService> | undefined;
  return {
    suggester,
    decisions: stores.decisions,
    cdiQueries: stores.cdiQueries,
    loadEncounter: encounterLoader(() => settings),
    findEncounters: encounterFinder(() => settings),
    readEncounter: (id) => readEncounter(settings, { kind: 'fhir', baseUrl: fhirBaseUrl(settings), id }),
    writeToEhr: async (transaction) =>
      (await (await createFhirClient(settings.fhir, fhirBaseUrl(settings))).transaction({ body: transaction as never })) as unknown as Bundle,
    serviceHealth: () => editorHealth(settings, adapterVersionOf(options.projectRoot, settings.ollama.tunedModel)),
    coding(where) {
      if (where === 'in-process' || options.suggester) return lazyOpen(async () => inProcessCoding(await suggester()));
      worker ??= workerCodingService(settings, options.projectRoot);
      const service = worker;
      return async () => service;
    },
    auditLog() {
      audit ??= openAppendLog<AuditEvent>(join(options.storeDir ?? join(settings.cacheDir, 'audit'), 'audit.jsonl'));
      return audit;
    },
    close() {
      stores.close();
      audit?.close();
      void worker?.close();
    },
  };
}
