// The model calls a benchmark recorded, sent again bare to Ollama /api/chat with the engine's exact bodies and thread
// counts: the baseline the engine's time is compared with, and, with the prompt cache cleared before each call, what
// that cache saves.
import { chatBody, sharedPrefix } from '../../adapters/ollama/chatLlm';
import { createOllamaClient } from '../../adapters/ollama/client';
import type { LlmRequest, LlmUsage } from '../../engine/ports';
import type { OllamaSettings } from '../../protocol';
import { timed } from './stats';

export interface RecordedCall {
  readonly model: string;
  readonly request: LlmRequest;
  readonly usage?: LlmUsage;
}

export interface Replay {
  /** Wall time of the replayed calls alone (clearing calls left out). */
  readonly wallMs: number;
  /** Ollama's prompt time per replayed call. */
  readonly promptMs: readonly number[];
}

/** A call that shares no beginning with any prompt, so the next call finds nothing cached. One output token, the
 * same model and threads (another thread count would reload the model). */
const CACHE_CLEARING: LlmRequest = { system: '#', user: '#', schema: { type: 'string' }, maxTokens: 1 };

const promptMsOf = (response: { prompt_eval_duration?: number }): number => (response.prompt_eval_duration ?? 0) / 1e6;

export async function replayCalls(settings: OllamaSettings, calls: readonly RecordedCall[], options: { clearCache: boolean }): Promise<Replay> {
  const client = createOllamaClient(settings);
  let wallMs = 0;
  const promptMs: number[] = [];
  for (const { model, request, usage } of calls) {
    if (options.clearCache) await client.chat(chatBody(model, CACHE_CLEARING, usage?.threads));
    const { value, ms } = await timed(() => client.chat(chatBody(model, request, usage?.threads)));
    wallMs += ms;
    promptMs.push(promptMsOf(value));
  }
  return { wallMs, promptMs };
}

const promptText = (request: LlmRequest): string => `${request.system}\n${request.user}`;

/** Per call after the first, the share of its prompt's characters that begin as the previous call's prompt did. */
export function sharedPrefixShare(calls: readonly RecordedCall[]): number[] {
  return calls.slice(1).map((call, i) => {
    const text = promptText(call.request);
    return sharedPrefix(promptText(calls[i]!.request), text) / Math.max(1, text.length);
  });
}
