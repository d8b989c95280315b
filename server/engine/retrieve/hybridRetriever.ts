// Hybrid retrieval: BM25 over our normalized terms + kNN over embeddings, fused by RRF in TypeScript.
// Each leg has its own timeout and degrades alone; the result always says which legs answered.
import { ChartcoderError } from '../errors';
import type { Embedder, LegHit, SearchBackend } from '../ports';
import { expandAbbreviations, normalizeClinicalText } from '../text/normalize';
import { reciprocalRankFusion } from './rrf';
import type { LegName, LegStatus, Retriever, SearchFilters, SearchHit, SearchRequest, SearchResult } from './search';

export const MAX_QUERY_CHARS = 2_000;
export const MAX_K = 200;
const DEFAULT_K = 20;

export interface HybridRetrieverOptions {
  readonly backend: SearchBackend;
  /** Absent when no embedding model is configured: BM25 answers alone. */
  readonly embedder?: Embedder;
  readonly legTimeoutMs?: number;
  /** How many hits each leg contributes before fusion, as a multiple of k. */
  readonly candidateFactor?: number;
}

interface LegOutcome {
  readonly hits: LegHit[];
  readonly status: LegStatus;
}

export function createHybridRetriever(options: HybridRetrieverOptions): Retriever {
  const timeoutMs = options.legTimeoutMs ?? 10_000;
  const factor = options.candidateFactor ?? 2;
  return {
    async embedQueries(texts) {
      if (!options.embedder || texts.length === 0) return texts.map(() => undefined);
      const embedder = options.embedder;
      try {
        return await withTimeout(timeoutMs, (signal) => embedder.embed(texts.map(embeddingText), signal));
      } catch {
        return texts.map(() => undefined);
      }
    },
    async search(request: SearchRequest): Promise<SearchResult> {
      const k = validatedK(request.k);
      const text = validatedText(request.text);
      const truncated = text.length > MAX_QUERY_CHARS;
      const query = normalizeClinicalText(truncated ? text.slice(0, MAX_QUERY_CHARS) : text);
      const wanted = new Set<LegName>(request.legs ?? ['bm25', 'knn']);
      const filters = request.filters ?? {};
      const size = Math.min(MAX_K * 2, k * factor);
      const base = {
        query: { terms: query.tokens, expansions: query.expansions, truncated },
        backend: options.backend.name,
        indexVersion: await options.backend.indexVersion(),
      };
      if (options.backend.serverFusion && options.embedder && wanted.has('bm25') && wanted.has('knn') && query.tokens.length > 0) {
        const server = await runServerFusion(options, text, query.tokens, filters, k, timeoutMs);
        if (server) return { ...base, ...server };
      }
      const [bm25, knn] = await Promise.all([
        wanted.has('bm25')
          ? runLeg(
              timeoutMs,
              (signal) => options.backend.lexical(query.tokens, filters, size, signal),
              query.tokens.length === 0 ? 'no searchable words after normalization' : undefined,
            )
          : skipped('not requested'),
        wanted.has('knn')
          ? runKnn(options, text, (signal, vector) => options.backend.vector(vector, filters, size, signal), timeoutMs, request.vector)
          : skipped('not requested'),
      ]);
      return {
        ...base,
        hits: fuse(bm25.hits, knn.hits, k),
        legs: { bm25: bm25.status, knn: knn.status },
        fusion: bm25.hits.length > 0 && knn.hits.length > 0 ? 'rrf' : 'single-leg',
      };
    },
  };
}

function validatedText(text: unknown): string {
  if (typeof text !== 'string' || text.trim() === '') throw new ChartcoderError('query-invalid', 'the search text is empty');
  return text.trim();
}

function validatedK(k: number | undefined): number {
  if (k === undefined) return DEFAULT_K;
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) throw new ChartcoderError('query-invalid', `k must be an integer from 1 to ${MAX_K}`);
  return k;
}

const skipped = async (reason: string): Promise<LegOutcome> => ({ hits: [], status: { state: 'skipped', reason } });

async function runKnn(
  options: HybridRetrieverOptions,
  text: string,
  leg: (signal: AbortSignal, vector: number[]) => Promise<LegHit[]>,
  timeoutMs: number,
  given?: readonly number[],
): Promise<LegOutcome> {
  const embedder = options.embedder;
  if (!embedder) return skipped('no embedding model configured');
  return runLeg(timeoutMs, async (signal) => leg(signal, given ? [...given] : await embedQuery(embedder, text, signal)));
}

async function runLeg(timeoutMs: number, leg: (signal: AbortSignal) => Promise<LegHit[]>, skipReason?: string): Promise<LegOutcome> {
  if (skipReason) return skipped(skipReason);
  const started = Date.now();
  try {
    const hits = await withTimeout(timeoutMs, leg);
    return { hits, status: { state: 'ok', hits: hits.length, tookMs: Date.now() - started } };
  } catch (err) {
    return { hits: [], status: { state: 'degraded', reason: err instanceof Error ? err.message : String(err) } };
  }
}

/** Runs `work` with a signal that aborts after `timeoutMs`; a timeout rejects as "timed out after N ms". */
async function withTimeout<T>(timeoutMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  try {
    return await work(controller.signal);
  } catch (err) {
    throw controller.signal.aborted ? new Error(`timed out after ${timeoutMs} ms`) : err;
  } finally {
    clearTimeout(timer);
  }
}

/** The query as the embedding model should read it: abbreviations spelled out ("CHF" means little to it). The
 * same for one query and for a batch, so a batch's vectors can stand in for the ones search would compute. */
const embeddingText = (text: string): string => expandAbbreviations(text.trim().slice(0, MAX_QUERY_CHARS));

async function embedQuery(embedder: Embedder, text: string, signal: AbortSignal): Promise<number[]> {
  const [vector] = await embedder.embed([embeddingText(text)], signal);
  if (!vector) throw new Error('the embedding model returned no vector');
  return vector;
}

/** The cluster fuses; per-leg ranks are then unknown. Any failure falls back to fusing here (returns undefined). */
async function runServerFusion(
  options: HybridRetrieverOptions,
  text: string,
  terms: readonly string[],
  filters: SearchFilters,
  k: number,
  timeoutMs: number,
): Promise<Pick<SearchResult, 'hits' | 'legs' | 'fusion'> | undefined> {
  const outcome = await runLeg(timeoutMs, async (signal) =>
    options.backend.serverFusion!(terms, await embedQuery(options.embedder!, text, signal), filters, k, signal),
  );
  if (outcome.status.state !== 'ok') return undefined;
  const hits = outcome.hits.map((hit) => ({ doc: hit.doc, fusedScore: hit.score, ranks: {}, scores: {} }));
  return { hits, legs: { bm25: outcome.status, knn: outcome.status }, fusion: 'server-rrf' };
}

function fuse(bm25: LegHit[], knn: LegHit[], k: number): SearchHit[] {
  const docs = new Map([...bm25, ...knn].map((hit) => [hit.doc.id, hit.doc]));
  const ranked = (hits: LegHit[]) => hits.map((hit) => ({ id: hit.doc.id, score: hit.score }));
  return reciprocalRankFusion<LegName>({ bm25: ranked(bm25), knn: ranked(knn) })
    .slice(0, k)
    .map((fused) => ({ doc: docs.get(fused.id)!, fusedScore: fused.fusedScore, ranks: fused.ranks, scores: fused.scores }));
}
