// The composition root: the one place the adapters behind the ports are built (stores, the FHIR client, the coding
// engine, the service probes), for the language server (main.ts), the integrator API (`serve`), the benchmarks and
// the test helpers. The suggester opens on first use, and a failed open (no index yet, a cluster down) is tried again
// on a later request rather than kept. New settings from the editor reopen what depends on them.
import { join } from 'node:path';
import type { AuditEvent } from '@medplum/fhirtypes';
import { createFhirClient } from '../adapters/fhir/client';
import { openAppendLog } from '../adapters/stores/appendLog';
import { openCoderStores, type CoderStores } from '../adapters/stores/coderStores';
import type { ChartcoderSettings } from '../protocol';
import { inProcessCoding } from './codingService';
import { editorHealth } from './editorHealth';
import { encounterFinder, encounterLoader } from './encounterSources';
import { fhirBaseUrl } from './health';
import { lazyOpen } from './lazyOpen';
import { adapterVersionOf } from './modelCard';
import { openSuggester } from './openSuggester';
import type { App, AppendLog, Suggester } from './ports';
import { readEncounter } from './readEncounter';
import { engineWorker, type EngineWorker } from './engineWorker';

export type { App };

export interface AppOptions {
  readonly projectRoot: string;
  /** One folder for decisions, CDI query items and the audit log (default: <cacheDir>/decisions and <cacheDir>/audit). */
  readonly storeDir?: string;
  /** A suggester opened elsewhere (benchmarks, tests) instead of the one opened on first use. */
  readonly suggester?: Suggester;
  /** Where the coding engine runs for the editor: a worker thread (default: a long note never holds the language
   * server's event loop), or this process (debugging). */
  readonly engine?: 'worker' | 'in-process';
}

interface State {
  readonly settings: ChartcoderSettings;
  readonly inProcess: () => Promise<Suggester>;
  readonly stores: CoderStores;
  readonly storeDir: string;
  audit?: AppendLog<AuditEvent>;
  worker?: EngineWorker;
}

export function openApp(initial: ChartcoderSettings, options: AppOptions): App {
  const storeDirOf = (settings: ChartcoderSettings) => options.storeDir ?? join(settings.cacheDir, 'decisions');
  const open = (settings: ChartcoderSettings, stores?: CoderStores): State => ({
    settings,
    inProcess: lazyOpen(() => openSuggester(settings, { projectRoot: options.projectRoot })),
    stores: stores ?? openCoderStores(storeDirOf(settings)),
    storeDir: storeDirOf(settings),
  });
  let state = open(initial);
  const settings = () => state.settings;
  const engine = async (where: 'worker' | 'in-process'): Promise<Suggester> => {
    if (options.suggester) return options.suggester;
    if (where === 'in-process') return state.inProcess();
    state.worker ??= engineWorker(state.settings, options.projectRoot);
    return state.worker.suggester;
  };
  const loadEncounter = encounterLoader(settings);
  const findEncounters = encounterFinder(settings);
  return {
    settings,
    suggester: () => engine(options.engine ?? 'worker'),
    get decisions() {
      return state.stores.decisions;
    },
    get cdiQueries() {
      return state.stores.cdiQueries;
    },
    loadEncounter,
    findEncounters,
    readEncounter: (id) => readEncounter(state.settings, { kind: 'fhir', baseUrl: fhirBaseUrl(state.settings), id }),
    writeToEhr: async (transaction) =>
      (await (
        await createFhirClient(state.settings.fhir, fhirBaseUrl(state.settings))
      ).transaction({ body: transaction as never })) as unknown as typeof transaction,
    serviceHealth: () => editorHealth(state.settings, adapterVersionOf(options.projectRoot, state.settings.ollama.tunedModel)),
    coding: (where) => async () => inProcessCoding(await engine(where)),
    auditLog() {
      state.audit ??= openAppendLog<AuditEvent>(join(options.storeDir ?? join(state.settings.cacheDir, 'audit'), 'audit.jsonl'));
      return state.audit;
    },
    reconfigure(next) {
      if (JSON.stringify(next) === JSON.stringify(state.settings)) return false;
      const sameStores = storeDirOf(next) === state.storeDir;
      const previous = state;
      state = open(next, sameStores ? previous.stores : undefined);
      if (!sameStores) previous.stores.close();
      previous.audit?.close();
      void previous.worker?.close();
      return true;
    },
    close() {
      state.stores.close();
      state.audit?.close();
      void state.worker?.close();
    },
  };
}
