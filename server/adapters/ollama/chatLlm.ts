// The Llm port over Ollama /api/chat with a JSON-schema `format`, greedy decoding (temperature 0 and no repeat
// penalty, so the answer is the argmax the log-probabilities describe), token log-probabilities (for the
// confidence) and the model digest recorded as provenance.
import type { ChatRequest } from 'ollama';
import type { Llm, LlmRequest, TokenLogprob } from '../../engine/ports';
import type { OllamaSettings } from '../../protocol';
import { createOllamaClient } from './client';

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

/** The /api/chat body for one request: also what a benchmark sends bare, to compare like with like. */
export function chatBody(model: string, request: LlmRequest): ChatRequest & { stream: false } & LogprobFields {
  return {
    model,
    format: request.schema,
    stream: false,
    options: { temperature: 0, repeat_penalty: 1, num_predict: 160 },
    logprobs: true,
    top_logprobs: TOP_LOGPROBS,
    messages: [
      { role: 'system', content: request.system },
      { role: 'user', content: request.user },
    ],
  };
}

export function ollamaLlm(settings: OllamaSettings, model: string): Llm {
  const client = createOllamaClient(settings);
  let label: Promise<string> | undefined;
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
      const body = chatBody(model, request);
      const call = signal ? createOllamaClient(settings, signal) : client;
      const response = (await call.chat(body)) as Awaited<ReturnType<typeof client.chat>> & { logprobs?: RawLogprob[] };
      const tokens: TokenLogprob[] | undefined = response.logprobs?.map((t) => ({ token: t.token, logprob: t.logprob, top: t.top_logprobs ?? [] }));
      return { content: response.message.content, model: await labelled(), tookMs: Date.now() - started, ...(tokens ? { tokens } : {}) };
    },
  };
}
