// The coding engine in a worker thread: it opens its own Suggester (retried after a failure, like the API's) and
// answers `suggest` and `lookup` messages from workerCodingService.ts. Errors travel as their reason and message.
import { parentPort, workerData } from 'node:worker_threads';
import { ChartcoderError, describeError } from '../engine/errors';
import { finalResult } from '../engine/suggest/suggestEncounter';
import type { ChartcoderSettings } from '../protocol';
import { inProcessCoding } from './codingService';
import { lazyOpen } from './lazyOpen';
import { openSuggester } from './openSuggester';
import type { WorkerReply, WorkerRequest } from './workerMessages';

const { settings, projectRoot } = workerData as { settings: ChartcoderSettings; projectRoot: string };
const coding = lazyOpen(async () => inProcessCoding(await openSuggester(settings, { projectRoot })));

async function answer(request: WorkerRequest): Promise<WorkerReply> {
  try {
    const engine = await coding();
    const value =
      request.op === 'lookup'
        ? await engine.lookupCode(request.system, request.code)
        : await finalResult(engine.suggest(request.view, request.mode ? { mode: request.mode } : {}));
    return { id: request.id, ok: true, value, fy: engine.fy };
  } catch (err) {
    return { id: request.id, ok: false, reason: err instanceof ChartcoderError ? err.reason : undefined, message: describeError(err) };
  }
}

parentPort!.on('message', (request: WorkerRequest) => {
  void answer(request).then((reply) => parentPort!.postMessage(reply));
});
