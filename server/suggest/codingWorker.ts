// The coding engine in a worker thread: it opens its own Suggester (retried after a failure, like the API's) and
// answers `suggest` and `lookup` messages from workerCodingService.ts. Errors travel as their reason and message.
import { parentPort, workerData } from 'node:worker_threads';
import { ChartcoderError, describeError } from '../errors';
import { finalResult } from '../engine/suggest/suggestEncounter';
import type { ChartcoderSettings } from '../protocol';
import { lazyOpen } from './lazyOpen';
import { openSuggester } from './openSuggester';
import type { WorkerReply, WorkerRequest } from './workerMessages';

const { settings, projectRoot } = workerData as { settings: ChartcoderSettings; projectRoot: string };
const suggester = lazyOpen(() => openSuggester(settings, { projectRoot }));

async function answer(request: WorkerRequest): Promise<WorkerReply> {
  try {
    const engine = await suggester();
    if (request.op === 'lookup') {
      const entry = engine.book.catalog(request.system).lookup(request.code.trim().toUpperCase());
      return { id: request.id, ok: true, value: entry ? { code: entry.code, title: entry.title, billable: entry.billable } : undefined, fy: engine.fy };
    }
    return { id: request.id, ok: true, value: await finalResult(engine.suggest(request.view, request.mode ? { mode: request.mode } : {})), fy: engine.fy };
  } catch (err) {
    return { id: request.id, ok: false, reason: err instanceof ChartcoderError ? err.reason : undefined, message: describeError(err) };
  }
}

parentPort!.on('message', (request: WorkerRequest) => {
  void answer(request).then((reply) => parentPort!.postMessage(reply));
});
