// The coding engine behind a worker thread (node:worker_threads), as the Suggester the language server uses and the
// coding service the API uses: their event loops stay free (other clients, hovers, the status bar) while a long note
// is coded. One worker; a run whose caller gives up is cancelled in the worker too; a worker that dies is started
// again on the next request, and the requests it held fail with the reason.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { KnowledgeDoc } from '../engine/retrieve/knowledgeDoc';
import { ChartcoderError } from '../engine/errors';
import type { SuggestMode, SuggestResult } from '../engine/suggest/suggestion';
import type { ChartcoderSettings } from '../protocol';
import { inProcessCoding } from './codingService';
import type { CodeCheck, CodingService, Suggester } from './ports';
import type { WorkerAsk, WorkerReply } from './workerMessages';

type Pending = Map<number, { resolve: (reply: WorkerReply) => void; reject: (reason: unknown) => void }>;

/** dist/codingWorker.js beside the bundle; under tsx (tests) the TypeScript source through tsx's require hook (a
 * worker does not inherit the parent's loader, and `--import tsx` in its execArgv is not applied on Node 20). */
function workerEntry(): { code: string; eval: boolean } {
  const bundled = join(__dirname, 'codingWorker.js');
  if (existsSync(bundled)) return { code: bundled, eval: false };
  return { code: `require('tsx/cjs/api').register(); require(${JSON.stringify(join(__dirname, 'codingWorker.ts'))});`, eval: true };
}

export interface EngineWorker {
  readonly suggester: Suggester;
  readonly coding: CodingService;
  close(): Promise<void>;
}

export function engineWorker(settings: ChartcoderSettings, projectRoot: string): EngineWorker {
  let worker: Worker | undefined;
  let nextId = 1;
  let fy = settings.knowledge.fy;
  const pending: Pending = new Map();
  const start = (): Worker => {
    const entry = workerEntry();
    const w = new Worker(entry.code, { eval: entry.eval, workerData: { settings, projectRoot } });
    w.on('message', (reply: WorkerReply) => {
      pending.get(reply.id)?.resolve(reply);
      pending.delete(reply.id);
    });
    const fail = (why: string) => {
      if (worker === w) worker = undefined;
      for (const [id, p] of pending)
        p.resolve({ id, ok: false, reason: 'service-unavailable', message: `the coding worker stopped (${why}); the request was not coded` });
      pending.clear();
    };
    w.on('error', (err) => fail(err.message));
    w.on('exit', (code) => fail(`exit code ${code}`));
    return w;
  };
  const ask = async (request: WorkerAsk, signal?: AbortSignal): Promise<unknown> => {
    signal?.throwIfAborted();
    worker ??= start();
    const id = nextId++;
    const target = worker;
    // A caller that gives up is answered at once; the worker is told to stop, and its late answer is dropped.
    const cancel = () => {
      target.postMessage({ op: 'cancel', id });
      pending.get(id)?.reject(signal?.reason);
      pending.delete(id);
    };
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      const reply = await new Promise<WorkerReply>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        target.postMessage({ ...request, id });
      });
      if (!reply.ok) throw new ChartcoderError(reply.reason ?? 'service-unavailable', reply.message);
      fy = reply.fy;
      return reply.value;
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  };
  const suggester: Suggester = {
    get fy() {
      return fy;
    },
    defaultMode: async () => (await ask({ op: 'defaultMode' })) as SuggestMode,
    async *suggest(view, request = {}) {
      const { signal, ...rest } = request;
      const result = (await ask({ op: 'suggest', view, request: rest }, signal)) as SuggestResult;
      for (const suggestion of result.suggestions) yield { type: 'suggestion' as const, suggestion };
      yield { type: 'result' as const, result };
    },
    guidanceDocument: async (docId) => (await ask({ op: 'guidance', docId })) as { doc?: KnowledgeDoc; indexVersion: string },
    verifyCodes: async (codes) => (await ask({ op: 'verify', codes })) as (CodeCheck | undefined)[],
  };
  return {
    suggester,
    coding: inProcessCoding(suggester),
    close: async () => {
      await worker?.terminate();
      worker = undefined;
    },
  };
}
