// The engine's only windows to the world. Adapters implement these; tests use fakes.
import type { KnowledgeDoc } from './retrieve/knowledgeDoc';
import type { SearchFilters } from './retrieve/search';

export interface LegHit {
  readonly doc: KnowledgeDoc;
  readonly score: number;
}

/** A search index holding knowledge documents: one lexical leg over normalized terms, one vector leg. */
export interface SearchBackend {
  readonly name: string;
  /** Identifies the built index (release, FY, build) so every suggestion can say what it was retrieved from. */
  indexVersion(): Promise<string>;
  lexical(terms: readonly string[], filters: SearchFilters, size: number, signal: AbortSignal): Promise<LegHit[]>;
  vector(vector: readonly number[], filters: SearchFilters, size: number, signal: AbortSignal): Promise<LegHit[]>;
  /** One document by its id (a guidance link opens it); undefined when this index does not hold it. */
  document(id: string, signal?: AbortSignal): Promise<KnowledgeDoc | undefined>;
  /** How many documents have their vector, of how many should: kNN is degraded while `vectors < expected`. */
  vectorCoverage(): Promise<VectorCoverage>;
  /** Both legs fused by the server (Elasticsearch's `rrf` retriever), present only where the cluster offers it. */
  readonly serverFusion?: (terms: readonly string[], vector: readonly number[], filters: SearchFilters, size: number, signal: AbortSignal) => Promise<LegHit[]>;
}

export interface VectorCoverage {
  readonly vectors: number;
  /** Documents that should have a vector; undefined for an index built before this was recorded. */
  readonly expected?: number;
}

/** kNN runs on a part of the index: the line every result, health and the status bar show, with the repair. */
export function knnCoverageProblem(coverage: VectorCoverage): string | undefined {
  if (coverage.expected === undefined || coverage.vectors >= coverage.expected) return undefined;
  return `kNN degraded: ${coverage.vectors} of ${coverage.expected} vectors — run chartcoder index build`;
}

/** What every backend indexes: the documents of one knowledge version and the vectors of those that carry one. */
export interface IndexContent {
  readonly knowledgeVersion: string;
  readonly docs: readonly KnowledgeDoc[];
  readonly vectors: ReadonlyMap<string, Float32Array>;
  /** Documents that should carry a vector (those with an embedding text). */
  readonly expectedVectors: number;
  readonly embedModel?: string;
  readonly dims: number;
}

export interface Embedder {
  /** Model name with digest when known, recorded as provenance. */
  readonly model: string;
  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>;
}

export interface LlmRequest {
  readonly system: string;
  readonly user: string;
  /** JSON schema the answer must follow (Ollama `format`). */
  readonly schema: Record<string, unknown>;
  /** Tokens the answer may take (default 160). */
  readonly maxTokens?: number;
  /** Alternatives reported per generated token (default 5). */
  readonly topLogprobs?: number;
}

/** What the model server spent on one answer: prompt tokens read (a prefix cached from the previous call is read
 * again far faster) and tokens written. */
export interface LlmUsage {
  readonly promptTokens: number;
  readonly promptMs: number;
  readonly outputTokens: number;
  readonly outputMs: number;
  /** Time the server spent loading the model for this call (a few ms when it was already loaded). */
  readonly loadMs?: number;
  /** CPU threads the call asked of the server; absent, its own default. A change reloads the model. */
  readonly threads?: number;
}

export interface TokenLogprob {
  readonly token: string;
  readonly logprob: number;
  /** The most likely tokens at this position, before the schema's grammar masked any. */
  readonly top?: readonly { readonly token: string; readonly logprob: number }[];
}

export interface LlmAnswer {
  readonly content: string;
  /** Model name with its digest when known ("chartcoder-base@e68a19e63337"). */
  readonly model: string;
  readonly tookMs: number;
  /** Per generated token, when the model server reports log-probabilities. */
  readonly tokens?: readonly TokenLogprob[];
  readonly usage?: LlmUsage;
}

export interface Llm {
  /** The configured model name (the answer names the digest). */
  readonly model: string;
  complete(request: LlmRequest, signal?: AbortSignal): Promise<LlmAnswer>;
}

export interface Clock {
  now(): Date;
}
