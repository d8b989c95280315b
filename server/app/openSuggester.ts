// Wires the suggestion engine: code book + retriever (configured backend) + Ollama models, and resolves the mode.
// Default mode: retrieval (DEFAULT_MODE), the best arm measured. A model mode with Ollama unreachable still
// answers — ranked by retrieval, the result saying so — and retrieval mode never needs Ollama's chat models.
import { createHash } from 'node:crypto';
import { readJudgeBlend } from './judgeBlends';
import { openedModels, type OpenedModels } from './openedModels';
import { ollamaLlm } from '../adapters/ollama/chatLlm';
import { createOllamaClient } from '../adapters/ollama/client';
import { ChartcoderError, describeError } from '../engine/errors';
import { knnCoverageProblem } from '../engine/ports';
import { processEncounter } from '../engine/encounter/processEncounter';
import type { Clock, Llm } from '../engine/ports';
import type { Retriever } from '../engine/retrieve/search';
import type { CodeBook } from '../engine/suggest/codeBook';
import { verifyCodes } from '../engine/suggest/codeValidity';
import TEMPLATE from '../engine/suggest/promptTemplate.json';
import { suggestEncounter } from '../engine/suggest/suggestEncounter';
import type { SuggestMode } from '../engine/suggest/suggestion';
import { readCodeBook } from '../indexing/codeBookFile';
import { defaultBackend, openBackend, openEmbedder } from './openRetriever';
import { createHybridRetriever } from '../engine/retrieve/hybridRetriever';
import type { BackendKind } from '../indexing/buildIndex';
import { clinicalLexicon } from '../knowledge/lexicon';
import { readReleaseFor } from '../knowledge/release';
import type { ChartcoderSettings } from '../protocol';
import { adapterVersionOf } from './modelCard';
import { loadLearnedCoder, releaseKnowledge } from './coderKnowledge';
import { codingModelDir, DEFAULT_CODING_MODEL, readCodingModel, type CodingCard } from './codingModels';
import type { LearnedCoder } from '../engine/suggest/learnedSuggestions';
import type { CoderKnowledge } from '../engine/coder/knowledgeEntries';
import { indexEntriesOf } from '../knowledge/lexicon';
import type { SuggestRequest, Suggester } from './ports';

export const PROMPT_TEMPLATE_HASH = createHash('sha256').update(JSON.stringify(TEMPLATE)).digest('hex').slice(0, 16);

/** The heavy, settings-independent parts (code book, index, lexicon, the Index/title dictionary of the coding model):
 * open once, share between suggesters. */
export interface SuggesterParts {
  readonly fy: number;
  readonly book: CodeBook;
  readonly backend: Awaited<ReturnType<typeof openBackend>>;
  readonly lexicon: ReadonlySet<string>;
  /** The code set's dictionary (Index paths, titles, the Table of Neoplasms …), built once for every coding model loaded. */
  readonly coderKnowledge: CoderKnowledge;
}

export async function openSuggesterParts(
  settings: ChartcoderSettings,
  options: { projectRoot: string; fy?: number; backend?: BackendKind },
): Promise<SuggesterParts> {
  const fy = options.fy ?? settings.knowledge.fy;
  const release = readReleaseFor({ fy, projectRoot: options.projectRoot, cacheDir: settings.cacheDir });
  const index = indexEntriesOf(release);
  const book = readCodeBook(settings, fy).book;
  return {
    fy,
    book,
    backend: await openBackend(settings, options.backend ?? defaultBackend(settings), fy),
    lexicon: clinicalLexicon(release, index),
    coderKnowledge: releaseKnowledge(book, release, index),
  };
}

export interface SuggesterOptions {
  readonly projectRoot: string;
  readonly fy?: number;
  readonly backend?: BackendKind;
  /** Parts opened before (the same FY and backend), reused instead of reading them again. */
  readonly parts?: SuggesterParts;
  readonly clock?: Clock;
  /** Wraps the model port (benchmarks record the prompts to replay them bare). */
  readonly wrapLlm?: (llm: Llm) => Llm;
  /** The coding model retrieval mode codes with: a folder name under training/models or a path (default chartcoder-coding). */
  readonly codingModel?: string;
}

export type { SuggestRequest };

/** The Suggester port with what tooling reaches for (the retriever, the opened parts, the coding model's card). */
export interface OpenedSuggester extends Suggester {
  readonly book: CodeBook;
  readonly retriever: Retriever;
  readonly parts: SuggesterParts;
  /** The coding model's version and card; absent when none could be read (retrieval mode then says so). */
  readonly codingModel?: { readonly version: string; readonly card: CodingCard };
}

interface ModelState {
  readonly reachable: boolean;
  /** Model name (without `:latest`) → digest, of what Ollama serves. */
  readonly digests: ReadonlyMap<string, string>;
  readonly problem?: string;
}

async function modelState(settings: ChartcoderSettings): Promise<ModelState> {
  try {
    const list = await createOllamaClient({ ...settings.ollama, requestTimeoutMs: 5_000 }).list();
    return { reachable: true, digests: new Map(list.models.map((m) => [m.name.replace(/:latest$/, ''), m.digest])) };
  } catch (err) {
    return { reachable: false, digests: new Map(), problem: `Ollama unreachable at ${settings.ollama.host} (${describeError(err)})` };
  }
}

/** The arm that scored best on CodiEsp dev (docs/model-judge.md): the learned coder. The model modes
 * run when asked for by name (`--mode`, chartcoder.mode, the API's `mode` parameter). */
export const DEFAULT_MODE: SuggestMode = 'retrieval';

interface ModelPlan {
  readonly llm?: Llm;
  readonly degradations: string[];
  readonly adapterVersion?: string;
}

function planModel(settings: ChartcoderSettings, mode: SuggestMode, state: ModelState, projectRoot: string, models: OpenedModels): ModelPlan {
  if (mode === 'retrieval') return { degradations: [] };
  const tuned = mode === 'ft' || mode === 'ft+rag';
  const model = tuned ? settings.ollama.tunedModel : settings.ollama.chatModel;
  if (!state.reachable) return { degradations: [`model: ${state.problem}; ${mode === 'ft' ? 'nothing coded' : 'ranked by retrieval'}`] };
  const digest = state.digests.get(model);
  if (digest === undefined) {
    if (tuned) throw new ChartcoderError('model-missing', `the tuned model ${model} is not in Ollama: run chartcoder train lora, or use --mode rag`);
    return { degradations: [`model: ${model} is not in Ollama (run chartcoder models pull); ranked by retrieval`] };
  }
  const adapterVersion = tuned ? adapterVersionOf(projectRoot, model) : undefined;
  return { llm: models(model, digest), degradations: [], ...(adapterVersion ? { adapterVersion } : {}) };
}

interface OpenedCodingModel {
  readonly loaded?: { readonly coder: LearnedCoder; readonly card: CodingCard; readonly dir: string };
  readonly problem?: string;
}

/** The coding model by folder name or path; a missing or unreadable one is a degradation retrieval mode reports. */
function openCodingModel(projectRoot: string, name: string, book: CodeBook, knowledge: CoderKnowledge): OpenedCodingModel {
  const dir = name.includes('/') ? name : codingModelDir(projectRoot, name);
  try {
    const { model, card } = readCodingModel(dir);
    return { loaded: { coder: loadLearnedCoder(model, book, knowledge), card, dir } };
  } catch (err) {
    return { problem: `coding model: ${describeError(err)}; coded by per-mention retrieval (run chartcoder train coder)` };
  }
}

export async function openSuggester(settings: ChartcoderSettings, options: SuggesterOptions): Promise<OpenedSuggester> {
  const parts = options.parts ?? (await openSuggesterParts(settings, options));
  const { fy, book, lexicon } = parts;
  const retriever = createHybridRetriever({
    backend: parts.backend,
    embedder: await openEmbedder(settings, parts.backend.embedModel),
    legTimeoutMs: settings.elasticsearch.requestTimeoutMs,
  });
  const clock = options.clock ?? { now: () => new Date() };
  const coding = openCodingModel(options.projectRoot, options.codingModel ?? DEFAULT_CODING_MODEL, book, parts.coderKnowledge);
  const indexVersion = await parts.backend.indexVersion().catch(() => undefined);
  const knnProblem = knnCoverageProblem(await parts.backend.vectorCoverage().catch(() => ({ vectors: 0 })));
  const defaultMode = async (): Promise<SuggestMode> => DEFAULT_MODE;
  const models = openedModels((model) => {
    const llm = ollamaLlm(settings.ollama, model);
    return options.wrapLlm ? options.wrapLlm(llm) : llm;
  });
  return {
    fy,
    book,
    retriever,
    parts,
    defaultMode,
    verifyCodes: async (codes) => verifyCodes((system) => book.catalog(system), codes),
    guidanceDocument: async (id, signal) => {
      const doc = await parts.backend.document(id, signal ?? AbortSignal.timeout(10_000));
      return { ...(doc ? { doc } : {}), indexVersion: await parts.backend.indexVersion() };
    },
    ...(coding.loaded ? { codingModel: { version: coding.loaded.coder.version, card: coding.loaded.card } } : {}),
    async *suggest(view, request = {}) {
      const limit = settings.knowledge.maxNoteCharacters;
      const huge = view.notes.find((n) => n.text.length > limit);
      if (huge)
        throw new ChartcoderError(
          'too-large',
          `${huge.reference ?? huge.id} is ${huge.text.length.toLocaleString('en-US')} characters; notes ` +
            `over ${limit.toLocaleString('en-US')} are not coded (setting knowledge.maxNoteCharacters)`,
        );
      const mode = request.mode ?? DEFAULT_MODE;
      const state = mode === 'retrieval' ? { reachable: false, digests: new Map<string, string>() } : await modelState(settings);
      const plan = planModel(settings, mode, state, options.projectRoot, models);
      // What the encounter could not give (an unreadable note, a patient not found) travels with the result.
      const judge =
        coding.loaded && plan.llm && (mode === 'rag' || mode === 'ft+rag')
          ? readJudgeBlend(coding.loaded.dir, plan.llm.model, coding.loaded.coder.version)
          : undefined;
      const judged = judge && 'blend' in judge;
      const perMentionRetrieval = mode !== 'ft' && !(coding.loaded && (mode === 'retrieval' || judged));
      const degradations = [
        ...view.warnings.map((w) => `encounter: ${w}`),
        ...plan.degradations,
        ...(mode === 'retrieval' && coding.problem ? [coding.problem] : []),
        ...(perMentionRetrieval && knnProblem ? [knnProblem] : []),
        ...(judge && 'problem' in judge ? [judge.problem] : []),
      ];
      yield* suggestEncounter(
        processEncounter(view, lexicon),
        {
          book,
          retriever: mode === 'ft' ? undefined : retriever,
          llm: plan.llm,
          clock,
          promptTemplateHash: PROMPT_TEMPLATE_HASH,
          ...(coding.loaded ? { coder: coding.loaded.coder } : {}),
          ...(judge && 'blend' in judge ? { judge: judge.blend } : {}),
          ...(indexVersion ? { indexVersion } : {}),
          ...(plan.adapterVersion ? { adapterVersion: plan.adapterVersion } : {}),
        } as const,
        {
          mode,
          degradations,
          modelTimeoutMs: settings.ollama.requestTimeoutMs,
          ...(request.signal ? { signal: request.signal } : {}),
          ...(request.maxMentions ? { maxMentions: request.maxMentions } : {}),
          ...(request.collectCandidates ? { collectCandidates: true } : {}),
        },
      );
    },
  };
}
