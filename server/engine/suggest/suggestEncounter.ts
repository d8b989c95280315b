// The suggestion pipeline: encounter → codable mentions → hybrid retrieval per mention → candidates ranked by what
// the note documents → the mode's choice → verification → coding rules → ranked Suggestion[]. Each mention's
// suggestion is streamed once verified; the final event carries the set after the cross-code rules. With a coding
// model, retrieval, rag and ft+rag code through it (suggestLearned); ft codes from memory (suggestFromMemory).
import { unreadPassages, type ProcessedEncounter } from '../encounter/processEncounter';
import type { Clock, Llm } from '../ports';
import type { Retriever } from '../retrieve/search';
import { chooseForMention, type MentionChoice } from './chooseForMention';
import { NOT_CODED, selectMentions, type CodableMention } from './codableMentions';
import type { CodeBook } from './codeBook';
import type { RankedCandidate } from './documentedRank';
import { embedAll, keyNotes, promptGuidance, retrieve, siteOf, type QueryVectors, type RetrievalOptions } from './mentionCandidates';
import { applyRules, sequence } from './rules/applyRules';
import type { MentionModifiers } from '../text/mentions';
import type { Suggestion, SuggestResult, SuggestStats, SuggestionProvenance, SurfacedCandidate } from './suggestion';
import { toSuggestion } from './toSuggestion';
import { learnedSuggestions, poolCandidates, type Judgement, type LearnedCoder } from './learnedSuggestions';
import { judgeUncertain, type JudgeOutcome } from './judgeUncertain';
import type { JudgeBlend } from '../coder/judgeBlend';
import { callStats, fiscalYearNote, modelDeadline, patientOf } from './encounterRun';
import { suggestFromMemory } from './suggestFromMemory';

export interface SuggestDeps {
  readonly book: CodeBook;
  /** Required by every mode but ft. */
  readonly retriever?: Retriever;
  /** Required by rag, ft and ft+rag. */
  readonly llm?: Llm;
  readonly clock: Clock;
  readonly adapterVersion?: string;
  readonly promptTemplateHash?: string;
  /** The learned coding model: retrieval mode codes with it (the per-mention retrieval path is used without one). */
  readonly coder?: LearnedCoder;
  /** How the model's judgement enters the coder's probabilities (rag and ft+rag with a coding model): fitted for
   * this coding model and `llm`. Without it those modes run the per-mention model path. */
  readonly judge?: JudgeBlend;
  readonly indexVersion?: string;
}

export { DOCUMENTED_MARGIN, MIN_DOCUMENTED } from './mentionCandidates';

export interface SuggestOptions extends RetrievalOptions {
  /** Mentions beyond this many are not coded (the result says so). */
  readonly maxMentions?: number;
  /** The model's time for the whole encounter, not per call: past it, the remaining mentions are ranked by
   * retrieval and the result says so (default 60 s). */
  readonly modelTimeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Return every surfaced candidate with the result (evaluation of the retriever layer). */
  readonly collectCandidates?: boolean;
  /** Degradations the caller already knows of (e.g. "no tuned model; ft+rag ran as rag"). */
  readonly degradations?: readonly string[];
}

export type SuggestEvent = { readonly type: 'suggestion'; readonly suggestion: Suggestion } | { readonly type: 'result'; readonly result: SuggestResult };

/** The final, rule-checked result of a run; `onSuggestion` sees each suggestion as it is verified. */
export async function finalResult(events: AsyncIterable<SuggestEvent>, onSuggestion?: (suggestion: Suggestion) => void): Promise<SuggestResult> {
  for await (const event of events) {
    if (event.type === 'result') return event.result;
    onSuggestion?.(event.suggestion);
  }
  throw new Error('the suggestion run ended without a result');
}

function collectCandidates(pool: Map<string, SurfacedCandidate>, surfaced: readonly RankedCandidate[], offered: readonly RankedCandidate[]): void {
  for (const c of surfaced) {
    const key = `${c.system}|${c.code}`;
    const current = pool.get(key);
    const isOffered = offered.includes(c) || current?.offered === true;
    if (!current || c.score > current.score)
      pool.set(key, {
        system: c.system,
        code: c.code,
        score: Number(c.score.toFixed(4)),
        offered: isOffered,
        ...(c.needsSeventh ? { needsSeventh: true } : {}),
      });
    else if (isOffered && !current.offered) pool.set(key, { ...current, offered: true });
  }
}

/** One encounter's coding run: what every mention step reads and the counts it adds to. */
interface Run {
  readonly encounter: ProcessedEncounter;
  readonly deps: SuggestDeps;
  readonly options: SuggestOptions & { readonly mode: Exclude<SuggestOptions['mode'], 'ft'> };
  readonly vectors: QueryVectors;
  readonly note: (degradation: string) => void;
  readonly stats: { modelCalls: number; modelFailures: number; invalidCodesDropped: number; quotesNotFound: number; modelMs: number; codedMentions: number };
  readonly candidatePool: Map<string, SurfacedCandidate>;
  /** Aborts at the encounter's model deadline, or when the caller cancels: every model call ends with it. */
  readonly modelDeadline: AbortSignal;
}

function provenanceOf(run: Run, choice: Extract<MentionChoice, { state: 'chosen' }>, indexVersion: string | undefined): SuggestionProvenance {
  const { deps, options } = run;
  return {
    mode: options.mode,
    ...(choice.model ? { model: choice.model } : {}),
    ...(deps.adapterVersion && options.mode.startsWith('ft') && choice.model ? { adapterVersion: deps.adapterVersion } : {}),
    ...(indexVersion ? { indexVersion } : {}),
    codeSetFy: deps.book.fy,
    ...(deps.promptTemplateHash && choice.model ? { promptTemplateHash: deps.promptTemplateHash } : {}),
    createdAt: deps.clock.now().toISOString(),
  };
}

function countChoice(run: Run, choice: MentionChoice): void {
  run.stats.modelMs += choice.modelMs;
  const called = choice.modelFailure !== undefined || (choice.state === 'chosen' && choice.model !== undefined);
  if (run.options.mode !== 'retrieval' && called) run.stats.modelCalls++;
  if (!choice.modelFailure) return;
  run.stats.modelFailures++;
  run.note(`model: ${choice.modelFailure}; ranked by retrieval`);
}

/** One codable mention through retrieval, the mode's choice and verification: its suggestion, or none. */
async function codeMention(run: Run, mention: CodableMention): Promise<Suggestion | undefined> {
  const { deps, options, encounter } = run;
  const { sentenceText, window } = siteOf(encounter, mention);
  const { ranked, surfaced, guidelines, indexVersion } = await retrieve(deps, mention, sentenceText, options, run.note, run.vectors);
  if (options.collectCandidates) collectCandidates(run.candidatePool, surfaced, ranked);
  // Past the encounter's model deadline the mention is ranked by retrieval.
  const pastDeadline = !!deps.llm && run.modelDeadline.aborted;
  const choice = await chooseForMention({
    mode: pastDeadline ? 'retrieval' : options.mode,
    mention,
    ranked,
    setting: encounter.view.encounter.setting,
    fiscalYear: deps.book.fy,
    window,
    guidance: promptGuidance(guidelines),
    ...(deps.llm ? { llm: deps.llm } : {}),
    notesOf: (c) => keyNotes(deps.book, c.system, c.code),
    modelTimeoutMs: options.modelTimeoutMs ?? 60_000,
    signal: run.modelDeadline,
  });
  countChoice(run, choice);
  if (choice.state !== 'chosen') return undefined;
  const verified = toSuggestion({
    choice,
    mention,
    ranked,
    guidelineHits: guidelines,
    encounter,
    book: deps.book,
    window,
    provenance: provenanceOf(run, choice, indexVersion),
  });
  if (verified.state === 'dropped') {
    run.stats.invalidCodesDropped++;
    return undefined;
  }
  if (verified.quoteFound === false) run.stats.quotesNotFound++;
  run.stats.codedMentions++;
  return verified.suggestion;
}

/** Whether the mode's model judges the coder's uncertain candidates (rag, ft+rag with a coding model). */
const judges = (mode: SuggestOptions['mode']) => mode === 'rag' || mode === 'ft+rag';

/** What the result says of the judge's call when it failed: its sentences were left to the ranker. */
function judgeDegradations(outcome: JudgeOutcome): string[] {
  const call = outcome.call;
  if (!call?.failure) return [];
  return [`model: ${call.failure}; ${outcome.judged.size ? 'those sentences' : `its ${call.sentences} uncertain sentences`} ranked by the coder alone`];
}

/** The whole encounter through the learned coder (its uncertain candidates judged by the model in rag and ft+rag),
 * then the cross-code rules. */
async function* suggestLearned(
  encounter: ProcessedEncounter,
  deps: SuggestDeps & { coder: LearnedCoder },
  options: SuggestOptions,
): AsyncGenerator<SuggestEvent> {
  const started = deps.clock.now().getTime();
  const view = encounter.view;
  const degradations = new Set([...(options.degradations ?? []), ...unreadPassages(encounter)]);
  const fyNote = fiscalYearNote(view, deps.book);
  if (fyNote) degradations.add(fyNote);
  const pooled = poolCandidates(encounter, deps.coder);
  let judgement: Judgement | undefined;
  let modelStats = callStats(undefined);
  if (judges(options.mode) && deps.llm && deps.judge) {
    const deadline = modelDeadline(options);
    const outcome = await judgeUncertain({
      encounter,
      pooled: pooled.pooled,
      coder: deps.coder,
      book: deps.book,
      blend: deps.judge,
      llm: deps.llm,
      signal: deadline.signal,
    }).finally(deadline.done);
    for (const d of judgeDegradations(outcome)) degradations.add(d);
    modelStats = callStats(outcome.call);
    if (outcome.model)
      judgement = {
        judged: outcome.judged,
        model: outcome.model,
        ...(deps.adapterVersion && options.mode === 'ft+rag' ? { adapterVersion: deps.adapterVersion } : {}),
      };
  }
  const run = learnedSuggestions(
    encounter,
    {
      book: deps.book,
      coder: deps.coder,
      provenance: {
        mode: options.mode,
        codeSetFy: deps.book.fy,
        createdAt: deps.clock.now().toISOString(),
        ...(deps.indexVersion ? { indexVersion: deps.indexVersion } : {}),
      },
    },
    { pooled, ...(judgement ? { judgement } : {}) },
  );
  for (const suggestion of run.suggestions) yield { type: 'suggestion', suggestion };
  const mentions = encounter.notes.flatMap((note) => note.processed.mentions);
  const notCoded = mentions.filter((m) => m.assertions.some((a) => NOT_CODED.has(a.category))).length;
  const result: SuggestResult = {
    encounter: view.encounter.reference,
    mode: options.mode,
    fiscalYear: deps.book.fy,
    suggestions: sequence(
      applyRules({ suggestions: run.suggestions, modifiers: run.suggestions.map(() => ({})), book: deps.book, patient: patientOf(view), findingsOnly: true }),
    ),
    degradations: [...degradations],
    stats: {
      mentions: mentions.length,
      codedMentions: mentions.length - notCoded,
      skippedByContext: notCoded,
      ...modelStats,
      invalidCodesDropped: run.invalidCodesDropped,
      quotesNotFound: 0,
      tookMs: deps.clock.now().getTime() - started,
    },
    excludedOnly: run.excludedOnly,
    ...(options.collectCandidates ? { candidates: run.candidates } : {}),
  };
  yield { type: 'result', result };
}

export async function* suggestEncounter(encounter: ProcessedEncounter, deps: SuggestDeps, options: SuggestOptions): AsyncGenerator<SuggestEvent> {
  const { mode } = options;
  if (mode === 'ft') {
    yield* suggestFromMemory(encounter, deps, options);
    return;
  }
  // rag and ft+rag judge the coder's candidates once a blend is fitted for the coding model and the mode's model;
  // until then they run the per-mention model path.
  if (deps.coder && (options.mode === 'retrieval' || (judges(options.mode) && deps.judge))) {
    yield* suggestLearned(encounter, { ...deps, coder: deps.coder }, options);
    return;
  }
  const started = deps.clock.now().getTime();
  const degradations = new Set([...(options.degradations ?? []), ...unreadPassages(encounter)]);
  const note = (d: string) => degradations.add(d);
  const selection = selectMentions(encounter);
  const limit = options.maxMentions ?? 60;
  if (selection.codable.length > limit) note(`${selection.codable.length - limit} of ${selection.codable.length} codable mentions not coded (limit ${limit})`);
  const view = encounter.view;
  const fyNote = fiscalYearNote(view, deps.book);
  if (fyNote) note(fyNote);
  const coded = selection.codable.slice(0, limit);
  const modelBudgetMs = options.modelTimeoutMs ?? 60_000;
  const vectors = await embedAll(deps, coded);
  const deadline = modelDeadline(options);
  const run: Run = {
    encounter,
    deps,
    options: { ...options, mode },
    note,
    vectors,
    candidatePool: new Map(),
    modelDeadline: deadline.signal,
    stats: { modelCalls: 0, modelFailures: 0, invalidCodesDropped: 0, quotesNotFound: 0, modelMs: 0, codedMentions: 0 },
  };
  const suggestions: Suggestion[] = [];
  const modifiers: MentionModifiers[] = [];
  let deadlineSaid = false;
  try {
    for (const [i, mention] of coded.entries()) {
      if (options.signal?.aborted) {
        note('cancelled before every mention was coded');
        break;
      }
      if (deps.llm && deadline.signal.aborted && !deadlineSaid) {
        deadlineSaid = true;
        note(`model: the encounter's ${modelBudgetMs / 1000} s were used up after ${i} of ${coded.length} ` + 'mentions; the rest ranked by retrieval');
      }
      const suggestion = await codeMention(run, mention);
      if (!suggestion) continue;
      suggestions.push(suggestion);
      modifiers.push(mention.modifiers);
      yield { type: 'suggestion', suggestion };
    }
  } finally {
    deadline.done();
  }
  const patient = patientOf(view);
  const result: SuggestResult = {
    encounter: view.encounter.reference,
    mode: options.mode,
    fiscalYear: deps.book.fy,
    suggestions: sequence(applyRules({ suggestions, modifiers, book: deps.book, patient })),
    degradations: [...degradations],
    stats: {
      ...run.stats,
      mentions: selection.total,
      skippedByContext: selection.skippedByContext,
      tookMs: deps.clock.now().getTime() - started,
    } satisfies SuggestStats,
    ...(options.collectCandidates ? { candidates: [...run.candidatePool.values()].sort((a, b) => b.score - a.score || a.code.localeCompare(b.code)) } : {}),
  };
  yield { type: 'result', result };
}
