// `chartcoder bench suggest`: per-encounter coding latency by mode on CodiEsp dev documents, and, for the model
// modes, two replays of the model's calls bare against Ollama /api/chat in the same run: in order (the engine's
// overhead — retrieval, candidates, verification, rules — is its time over theirs), and with the prompt cache
// cleared before each call (what the cache saves). Then each note again after an addendum, as the language server
// codes it again while a coder types: what the prompt cache saves there.
import type { Llm } from '../../engine/ports';
import { finalResult } from '../../engine/suggest/suggestEncounter';
import { processEncounter } from '../../engine/encounter/processEncounter';
import type { SuggestMode } from '../../engine/suggest/suggestion';
import { encounterOfNote, type BareNote, type EncounterView } from '../../../fhir';
import type { ChartcoderSettings } from '../../protocol';
import type { OpenedSuggester as Suggester } from '../../app/openSuggester';
import { replayCalls, sharedPrefixShare, type RecordedCall } from './chatReplay';
import { percentile, round, timed } from './stats';

export interface SuggestBenchRow {
  readonly mode: SuggestMode;
  readonly docs: number;
  readonly modelCalls: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  /** Sum over documents of the bare /api/chat time for the same prompts, replayed in the same order. */
  readonly bareChatMs?: number;
  readonly engineMs: number;
  /** engine time ÷ bare chat time (target ≤ 1.3). */
  readonly ratioToBareChat?: number;
  /** Retrieval mode: the median of text processing alone (sections, sentences, assertions, mentions) of the same
   * documents in the same run, and the engine's median as a multiple of it. */
  readonly textP50Ms?: number;
  readonly ratioToText?: number;
  /** The untimed warm-up documents' time: what the first notes of a session pay once (loading the model, trying the
   * other thread count). */
  readonly warmupMs?: number;
  /** Ollama's model loading during the timed engine calls (a reload: the model was evicted or its thread count changed). */
  readonly engineLoadMs?: number;
  /** Median share of a call's prompt characters that begin as the previous call's did (what the cache can keep). */
  readonly sharedPrefix?: number;
  /** Median Ollama prompt time per call, replayed in order (each call finds the previous one's prompt cached) and with
   * the cache cleared before each; `cacheSaving`: the median over calls of 1 − kept ÷ cleared. */
  readonly promptMsCacheKept?: number;
  readonly promptMsCacheCleared?: number;
  readonly cacheSaving?: number;
  /** Each note coded again after ADDENDUM was typed at its end, right after the note itself: the median time, the
   * engine calls' median prompt time, the same prompts' with the cache cleared, and the median saving. */
  readonly editP50Ms?: number;
  readonly editPromptMs?: number;
  readonly editPromptMsCleared?: number;
  readonly editCacheSaving?: number;
}

export const ADDENDUM = 'Addendum: on review the patient also reports a headache.';

export interface RecordingLlm {
  readonly wrap: (llm: Llm) => Llm;
  /** The requests since the last call, with the model that served them and what it spent. */
  take(): RecordedCall[];
}

export function recordingLlm(): RecordingLlm {
  let calls: { -readonly [K in keyof RecordedCall]: RecordedCall[K] }[] = [];
  return {
    wrap: (llm) => ({
      model: llm.model,
      complete: async (request, signal) => {
        const call: (typeof calls)[number] = { model: llm.model, request };
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

export interface SuggestBenchOptions {
  readonly settings: ChartcoderSettings;
  readonly suggester: Suggester;
  readonly recorder: RecordingLlm;
  readonly notes: readonly BareNote[];
  /** Coded untimed before a model mode's documents: the model loaded and its thread count chosen, as for a coder who
   * has already coded a note today. */
  readonly warmup: readonly BareNote[];
  readonly modes: readonly SuggestMode[];
  readonly maxMentions: number;
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
/** Per call, 1 − its prompt time ÷ the same prompt's with the cache cleared; the median. */
const medianSaving = (kept: readonly number[], cleared: readonly number[]): number =>
  percentile(
    kept.map((ms, i) => 1 - ms / Math.max(1, cleared[i]!)),
    50,
  );

export async function benchSuggest(options: SuggestBenchOptions): Promise<SuggestBenchRow[]> {
  const rows: SuggestBenchRow[] = [];
  const code = (view: EncounterView, mode: SuggestMode) => finalResult(options.suggester.suggest(view, { mode, maxMentions: options.maxMentions }));
  for (const mode of options.modes) {
    const samples: number[] = [];
    const text: number[] = [];
    const calls: RecordedCall[] = [];
    let warmupMs = 0;
    if (mode !== 'retrieval') for (const note of options.warmup) warmupMs += (await timed(() => code(encounterOfNote(note), mode))).ms;
    options.recorder.take();
    for (const note of options.notes) {
      const view = encounterOfNote(note);
      if (mode === 'retrieval') text.push((await timed(async () => processEncounter(view, options.suggester.parts.lexicon))).ms);
      samples.push((await timed(() => code(view, mode))).ms);
      calls.push(...options.recorder.take());
    }
    const engine = sum(samples);
    const row = {
      mode,
      docs: options.notes.length,
      modelCalls: calls.length,
      p50Ms: round(percentile(samples, 50), 0),
      p95Ms: round(percentile(samples, 95), 0),
      engineMs: round(engine, 0),
    };
    if (mode === 'retrieval') {
      rows.push({ ...row, textP50Ms: round(percentile(text, 50), 1), ratioToText: round(percentile(samples, 50) / Math.max(0.01, percentile(text, 50)), 2) });
      continue;
    }
    if (calls.length === 0) {
      rows.push(row);
      continue;
    }
    // In order, right after the mode's documents: each bare call finds the cache its engine call found (the previous
    // document's prompt), and the first finds the last document's, as the engine's first found the warm-up's.
    const kept = await replayCalls(options.settings.ollama, calls, { clearCache: false });
    const cleared = await replayCalls(options.settings.ollama, calls, { clearCache: true });
    rows.push({
      ...row,
      bareChatMs: round(kept.wallMs, 0),
      ratioToBareChat: round(engine / kept.wallMs, 2),
      ...(options.warmup.length ? { warmupMs: round(warmupMs, 0) } : {}),
      engineLoadMs: round(sum(calls.map((c) => c.usage?.loadMs ?? 0)), 0),
      sharedPrefix: round(percentile(sharedPrefixShare(calls), 50), 2),
      promptMsCacheKept: round(percentile(kept.promptMs, 50), 0),
      promptMsCacheCleared: round(percentile(cleared.promptMs, 50), 0),
      cacheSaving: round(medianSaving(kept.promptMs, cleared.promptMs), 2),
      ...(await afterAnEdit(options, mode, code)),
    });
  }
  return rows;
}

/** Each note coded, then coded again with ADDENDUM typed at its end (the second timed). */
async function afterAnEdit(
  options: SuggestBenchOptions,
  mode: SuggestMode,
  code: (view: EncounterView, mode: SuggestMode) => Promise<unknown>,
): Promise<Partial<SuggestBenchRow>> {
  const samples: number[] = [];
  const calls: RecordedCall[] = [];
  for (const note of options.notes) {
    await code(encounterOfNote(note), mode);
    options.recorder.take();
    samples.push((await timed(() => code(encounterOfNote({ ...note, text: `${note.text}\n${ADDENDUM}` }), mode))).ms);
    calls.push(...options.recorder.take());
  }
  const engine = calls.map((c) => c.usage?.promptMs ?? 0);
  const cleared = calls.length ? (await replayCalls(options.settings.ollama, calls, { clearCache: true })).promptMs : [];
  return {
    editP50Ms: round(percentile(samples, 50), 0),
    ...(calls.length
      ? {
          editPromptMs: round(percentile(engine, 50), 0),
          editPromptMsCleared: round(percentile(cleared, 50), 0),
          editCacheSaving: round(medianSaving(engine, cleared), 2),
        }
      : {}),
  };
}
