// The coding engine behind a worker thread (node:worker_threads): the API's event loop stays free for other clients
// while a long note is coded. One worker, requests answered in order; a worker that dies is started again on the
// next request, and the requests it held fail with the reason.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ChartcoderError } from '../engine/errors';
import type { ChartcoderSettings } from '../protocol';
import type { SuggestResult } from '../engine/suggest/suggestion';
import type { CodeEntry, CodingService } from './codingService';
import type { WorkerAsk, WorkerReply } from './workerMessages';

type Pending = Map<number, { resolve: (reply: WorkerReply) => void }>;

/** dist/codingWorker.js beside the bundle; under tsx (tests) the TypeScript source. */
function workerEntry(): { file: string; execArgv: string[] } {
  const bundled = join(__dirname, 'codingWorker.js');
  if (existsSync(bundled)) return { file: bundled, execArgv: [] };
  return { file: join(__dirname, 'codingWorker.ts'), execArgv: ['--import', 'tsx'] };
}

export interface WorkerCodingService extends CodingService {
  close(): Promise<void>;
}

export function workerCodingService(settings: ChartcoderSettings, projectRoot: string): WorkerCodingService {
  let worker: Worker | undefined;
  let nextId = 1;
  let fy = settings.knowledge.fy;
  const pending: Pending = new Map();
  const start = (): Worker => {
    const entry = workerEntry();
    const w = new Worker(entry.file, { workerData: { settings, projectRoot }, execArgv: entry.execArgv });
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
  const ask = async (request: WorkerAsk): Promise<unknown> => {
    worker ??= start();
    const id = nextId++;
    const reply = await new Promise<WorkerReply>((resolve) => {
      pending.set(id, { resolve });
      worker!.postMessage({ ...request, id });
    });
    if (!reply.ok) throw new ChartcoderError(reply.reason ?? 'service-unavailable', reply.message);
    fy = reply.fy;
    return reply.value;
  };
  return {
    get fy() {
      return fy;
    },
    async *suggest(view, request = {}) {
      const result = (await ask({ op: 'suggest', view, ...(request.mode ? { mode: request.mode } : {}) })) as SuggestResult;
      for (const suggestion of result.suggestions) yield { type: 'suggestion' as const, suggestion };
      yield { type: 'result' as const, result };
    },
    lookupCode: async (system, code) => (await ask({ op: 'lookup', system, code })) as CodeEntry | undefined,
    close: async () => {
      await worker?.terminate();
      worker = undefined;
    },
  };
}
