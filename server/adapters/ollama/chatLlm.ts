// The Llm port over Ollama /api/chat with a JSON-schema `format`, greedy decoding (temperature 0 and no repeat
// penalty, so the answer is the argmax the log-probabilities describe), token log-probabilities (for the
// confidence) and the model digest recorded as provenance.
import type { ChatRequest } from 'ollama';
import type { Llm, LlmRequest, TokenLogprob } from '../../engine/ports';
import type { OllamaSettings } from '../../protocol';
import { createOllamaClient } from './client';
import { isLoopbackHost, localThreadChoice } from './threadChoice';

/** Fields of /api/chat that ollama-js 0.6 does not type yet (Ollama ≥ 0.12 serves them). */
interface LogprobFields {
  logprobs?: boolean;
  top_logprobs?: number;
}
interface RawLogprob {
  token: string;
  logprob: number;
  top_logprobs?: { token: string; logprob: number }[];
}

export const TOP_LOGPROBS = 5;

/** Characters two prompts share at their start for the second to continue the first (the judge's calls of a note). */
const CONTINUED_PREFIX = 400;

/** Characters `a` and `b` share at their start. */
export function sharedPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The /api/chat body for one request: also what a benchmark sends bare, to compare like with like. */
export function chatBody(model: string, request: LlmRequest, numThread?: number): ChatRequest & { stream: false } & LogprobFields {
  return {
    model,
    format: request.schema,
    stream: false,
    options: { temperature: 0, repeat_penalty: 1, num_predict: request.maxTokens ?? 160, ...(numThread ? { num_thread: numThread } : {}) },
    logprobs: true,
    top_logprobs: request.topLogprobs ?? TOP_LOGPROBS,
    messages: [
      { role: 'system', content: request.system },
      { role: 'user', content: request.user },
    ],
  };
}

/** Tokens Ollama read and wrote per second of its own compute (model loading left out). */
function tokensPerSecond(response: { prompt_eval_count?: number; eval_count?: number; prompt_eval_duration?: number; eval_duration?: number }) {
  const tokens = (response.prompt_eval_count ?? 0) + (response.eval_count ?? 0);
  const ns = (response.prompt_eval_duration ?? 0) + (response.eval_duration ?? 0);
  return { tokens, ms: ns / 1e6 };
}

export function ollamaLlm(settings: OllamaSettings, model: string): Llm {
  const client = createOllamaClient(settings);
  const threads = isLoopbackHost(settings.host) ? localThreadChoice() : undefined;
  let label: Promise<string> | undefined;
  let previous: string | undefined;
  const labelled = () =>
    (label ??= client.list().then(
      (list) => {
        const found = list.models.find((m) => m.name === model || m.name === `${model}:latest`);
        return found ? `${model}@${found.digest.slice(0, 12)}` : model;
      },
      () => model,
    ));
  return {
    model,
    async complete(request, signal) {
      const started = Date.now();
      // Ollama reloads the model when the thread count changes, and its prompt cache goes with it: a probe waits
      // for a call that shares no beginning with the last one (the next note, not the next question about one).
      const next = threads?.next();
      const continues = previous !== undefined && sharedPrefix(previous, request.user) >= CONTINUED_PREFIX;
      const choice = next?.probe && continues ? { threads: threads!.steady(), probe: false } : next;
      previous = request.user;
      const body = chatBody(model, request, choice?.threads);
      const call = signal ? createOllamaClient(settings, signal) : client;
      let response: Awaited<ReturnType<typeof client.chat>> & { logprobs?: RawLogprob[] };
      try {
        response = (await call.chat(body)) as typeof response;
      } catch (err) {
        // A call given up by its deadline counts as no speed for the thread count it used.
        if (choice) threads?.record(choice.threads, 0, Date.now() - started);
        throw err;
      }
      if (choice) {
        const { tokens, ms } = tokensPerSecond(response);
        threads?.record(choice.threads, tokens, ms);
      }
      const tokens: TokenLogprob[] | undefined = response.logprobs?.map((t) => ({ token: t.token, logprob: t.logprob, top: t.top_logprobs ?? [] }));
      const usage = {
        promptTokens: response.prompt_eval_count ?? 0,
        promptMs: (response.prompt_eval_duration ?? 0) / 1e6,
        outputTokens: response.eval_count ?? 0,
        outputMs: (response.eval_duration ?? 0) / 1e6,
        loadMs: (response.load_duration ?? 0) / 1e6,
        ...(choice?.threads ? { threads: choice.threads } : {}),
      };
      return { content: response.message.content, model: await labelled(), tookMs: Date.now() - started, usage, ...(tokens ? { tokens } : {}) };
    },
  };
}
