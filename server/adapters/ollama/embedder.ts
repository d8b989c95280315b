// The Embedder port over Ollama /api/embed, batched. The model digest names the embedding space.
import type { Embedder } from '../../engine/ports';
import type { OllamaSettings } from '../../protocol';
import { createOllamaClient } from './client';
import { isLoopbackHost, localThreadChoice, type ThreadChoice } from './threadChoice';

export const EMBEDDING_DIMS = 384;
const FIRST_BATCH = 16;
const MAX_BATCH = 256;
const MIN_BATCH = 4;
/** A batch should take about this long: it grows while calls are faster, shrinks when they are slower. */
const TARGET_MS = 8_000;
const ATTEMPTS = 6;
const PROBE_BATCH = 32;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Batch sizing by time, not count: a busy 2-core machine and an idle GPU server both keep each call near TARGET_MS,
 * so no call meets its deadline just because the machine is slow today. */
export function nextBatchSize(batch: number, tookMs: number): number {
  if (tookMs < TARGET_MS / 2) return Math.min(MAX_BATCH, batch * 2);
  if (tookMs > TARGET_MS * 1.5) return Math.max(MIN_BATCH, Math.floor(batch / 2));
  return batch;
}

/** The deadline of one call scales with its batch: a few seconds to load the model, then time per text. */
export const callDeadlineMs = (batch: number): number => 30_000 + 1_000 * batch;

export interface EmbedderOptions {
  /** How often a failing call is tried (an index build waits out a slow moment; a query fails fast, so a request is
   * never held by an Ollama that is away). */
  readonly attempts?: number;
  /** Many texts (an index build): Ollama's thread count is chosen by measured speed (threadChoice.ts). */
  readonly bulk?: boolean;
}

export interface OllamaEmbedder extends Embedder {
  readonly digest: string;
  readonly threads?: ThreadChoice;
}

export async function createOllamaEmbedder(settings: OllamaSettings, options: EmbedderOptions = {}): Promise<OllamaEmbedder> {
  const attempts = options.attempts ?? ATTEMPTS;
  const threads = options.bulk && isLoopbackHost(settings.host) ? localThreadChoice() : undefined;
  const client = createOllamaClient(settings);
  const { models } = await client.list();
  const wanted = settings.embedModel.includes(':') ? settings.embedModel : `${settings.embedModel}:latest`;
  const found = models.find((m) => m.name === wanted || m.model === wanted);
  if (!found) throw new Error(`embedding model ${settings.embedModel} is not in Ollama at ${settings.host} (run: chartcoder models pull)`);
  let batch = FIRST_BATCH;
  return {
    model: `${settings.embedModel}@${found.digest.slice(0, 12)}`,
    digest: found.digest,
    ...(threads ? { threads } : {}),
    // A call that fails (a busy machine, a restarting Ollama) is tried again with half the batch after a backoff
    // (2, 4, 8 … s), so a slow moment costs time, not the vectors.
    async embed(texts, signal) {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; ) {
        for (let attempt = 1; ; attempt++) {
          const choice = threads?.next();
          const size = Math.min(choice?.probe ? Math.min(PROBE_BATCH, batch) : batch, texts.length - i);
          const started = Date.now();
          try {
            const call = createOllamaClient({ ...settings, requestTimeoutMs: callDeadlineMs(size) }, signal);
            const input = [...texts.slice(i, i + size)];
            const numThread = choice?.threads;
            const response = await call.embed({
              model: settings.embedModel,
              input,
              truncate: true,
              ...(numThread ? { options: { num_thread: numThread } } : {}),
            });
            out.push(...response.embeddings);
            i += size;
            const took = Date.now() - started;
            if (choice) threads?.record(choice.threads, size, took);
            if (!choice?.probe) batch = nextBatchSize(batch, took);
            break;
          } catch (err) {
            if (choice && !signal?.aborted) threads?.record(choice.threads, 0, Date.now() - started);
            if (attempt >= attempts || signal?.aborted) throw err;
            batch = Math.max(MIN_BATCH, Math.floor(batch / 2));
            await pause(2_000 * 2 ** (attempt - 1));
          }
        }
      }
      return out;
    },
  };
}
