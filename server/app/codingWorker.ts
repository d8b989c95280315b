// The coding engine in a worker thread: it opens its own Suggester (retried after a failure, like the API's) and
// answers what engineWorker.ts asks: suggestions (cancelled when their caller gives up), code checks, guidance
// documents, the default mode. Errors travel as their reason and message.
import { parentPort, workerData } from 'node:worker_threads';
import { ChartcoderError, describeError } from '../engine/errors';
import { finalResult } from '../engine/suggest/suggestEncounter';
import type { ChartcoderSettings } from '../protocol';
import { lazyOpen } from './lazyOpen';
import { openSuggester } from './openSuggester';
import type { Suggester } from './ports';
import type { WorkerAsk, WorkerReply, WorkerRequest } from './workerMessages';

const { settings, projectRoot } = workerData as { settings: ChartcoderSettings; projectRoot: string };
const engine = lazyOpen(() => openSuggester(settings, { projectRoot }));
const running = new Map<number, AbortController>();

function run(suggester: Suggester, ask: WorkerAsk, signal: AbortSignal): Promise<unknown> {
  switch (ask.op) {
    case 'suggest':
      return finalResult(suggester.suggest(ask.view, { ...ask.request, signal }));
    case 'verify':
      return suggester.verifyCodes(ask.codes);
    case 'guidance':
      return suggester.guidanceDocument(ask.docId);
    case 'defaultMode':
      return suggester.defaultMode();
  }
}

async function answer(request: WorkerAsk & { id: number }): Promise<WorkerReply> {
  const controller = new AbortController();
  running.set(request.id, controller);
  try {
    const suggester = await engine();
    const value = await run(suggester, request, controller.signal);
    return { id: request.id, ok: true, value, fy: suggester.fy };
  } catch (err) {
    return { id: request.id, ok: false, reason: err instanceof ChartcoderError ? err.reason : undefined, message: describeError(err) };
  } finally {
    running.delete(request.id);
  }
}

parentPort!.on('message', (request: WorkerRequest) => {
  if (request.op === 'cancel') {
    running.get(request.id)?.abort(new Error('cancelled by its caller'));
    return;
  }
  void answer(request).then((reply) => parentPort!.postMessage(reply));
});
