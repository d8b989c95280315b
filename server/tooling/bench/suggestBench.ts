// `chartcoder bench suggest`: per-encounter coding latency by mode on CodiEsp dev documents, and, for the model
// modes, the ratio to bare Ollama /api/chat calls with the identical prompts replayed in the same run (the
// engine's overhead: retrieval, candidates, verification, rules).
import { chatBody } from '../../adapters/ollama/chatLlm';
import { createOllamaClient } from '../../adapters/ollama/client';
import type { Llm, LlmRequest, LlmUsage } from '../../engine/ports';
import { finalResult } from '../../engine/suggest/suggestEncounter';
import { processEncounter } from '../../engine/encounter/processEncounter';
import type { SuggestMode } from '../../engine/suggest/suggestion';
import type { EncounterView } from '../../../fhir';
import type { ChartcoderSettings } from '../../protocol';
import type { OpenedSuggester as Suggester } from '../../app/openSuggester';
import { percentile, round, timed } from './stats';

export interface SuggestBenchRow {
  readonly mode: SuggestMode;
  readonly docs: number;
  readonly modelCalls: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  /** Sum over documents of the bare /api/chat time for the same prompts. */
  readonly bareChatMs?: number;
  readonly engineMs: number;
  /** engine time ÷ bare chat time (target ≤ 1.3). */
  readonly ratioToBareChat?: number;
  /** Retrieval mode: the median of text processing alone (sections, sentences, assertions, mentions) of the same
   * documents in the same run, and the engine's median as a multiple of it. */
  readonly textP50Ms?: number;
  readonly ratioToText?: number;
  /** Ollama's prompt time per token: of the mode's first call, and of its later ones. Every call begins with the
   * same instructions, so the later calls' lower figure is the prompt cache at work. */
  readonly firstCallPromptMsPerToken?: number;
  readonly laterCallPromptMsPerToken?: number;
}

export interface RecordingLlm {
  readonly wrap: (llm: Llm) => Llm;
  /** The requests since the last call, with the model that served them and what it spent. */
  take(): RecordedCall[];
}

export interface RecordedCall {
  readonly model: string;
  readonly request: LlmRequest;
  usage?: LlmUsage;
}

export function recordingLlm(): RecordingLlm {
  let calls: RecordedCall[] = [];
  return {
    wrap: (llm) => ({
      model: llm.model,
      complete: async (request, signal) => {
        const call: RecordedCall = { model: llm.model, request };
        calls.push(call);
        const answer = await llm.complete(request, signal);
        if (answer.usage) call.usage = answer.usage;
        return answer;
      },
    }),
    take: () => {
      const out = calls;
      calls = [];
      return out;
    },
  };
}

async function bareChatMs(settings: ChartcoderSettings, calls: readonly { model: string; request: LlmRequest }[]): Promise<number> {
  const client = createOllamaClient(settings.ollama);
  let total = 0;
  for (const { model, request } of calls) total += (await timed(() => client.chat(chatBody(model, request)))).ms;
  return total;
}

export interface SuggestBenchOptions {
  readonly settings: ChartcoderSettings;
  readonly suggester: Suggester;
  readonly recorder: RecordingLlm;
  readonly views: readonly EncounterView[];
  readonly modes: readonly SuggestMode[];
  readonly maxMentions: number;
}

export async function benchSuggest(options: SuggestBenchOptions): Promise<SuggestBenchRow[]> {
  const rows: SuggestBenchRow[] = [];
  for (const mode of options.modes) {
    const samples: number[] = [];
    let bare = 0;
    let calls = 0;
    const text: number[] = [];
    const first: number[] = [];
    const later: number[] = [];
    const replay: RecordedCall[] = [];
    for (const view of options.views) {
      if (mode === 'retrieval') text.push((await timed(async () => processEncounter(view, options.suggester.parts.lexicon))).ms);
      options.recorder.take();
      const run = await timed(() => finalResult(options.suggester.suggest(view, { mode, maxMentions: options.maxMentions })));
      samples.push(run.ms);
      const recorded = options.recorder.take();
      calls += recorded.length;
      for (const c of recorded) if (c.usage?.promptTokens) (first.length === 0 ? first : later).push(c.usage.promptMs / c.usage.promptTokens);
      replay.push(...recorded);
    }
    // Replayed after the mode's documents, in their order, so each bare call finds the cache its engine call found
    // (the previous document's prompt), not its own prompt just served.
    if (mode !== 'retrieval') bare = await bareChatMs(options.settings, replay);
    const engine = samples.reduce((a, b) => a + b, 0);
    rows.push({
      mode,
      docs: options.views.length,
      modelCalls: calls,
      p50Ms: round(percentile(samples, 50), 0),
      p95Ms: round(percentile(samples, 95), 0),
      engineMs: round(engine, 0),
      ...(mode !== 'retrieval' && bare > 0 ? { bareChatMs: round(bare, 0), ratioToBareChat: round(engine / bare, 2) } : {}),
      ...(text.length
        ? { textP50Ms: round(percentile(text, 50), 1), ratioToText: round(percentile(samples, 50) / Math.max(0.01, percentile(text, 50)), 2) }
        : {}),
      ...(first.length ? { firstCallPromptMsPerToken: round(percentile(first, 50), 2) } : {}),
      ...(later.length ? { laterCallPromptMsPerToken: round(percentile(later, 50), 2) } : {}),
    });
  }
  return rows;
}
