// What the language server (lsp/) and the integrator API (http/) need of the application, as interfaces: the coding
// engine behind a Suggester, the coders' stores, the health of the services. openApp.ts builds what stands behind
// them; lsp/ and http/ import only these, the engine, protocol.ts and fhir/ (the import test holds them to it).
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import type { EncounterView } from '../../fhir';
import type { KnowledgeDoc, CodeSystemKey } from '../engine/retrieve/knowledgeDoc';
import type { CodeVerdict } from '../engine/suggest/codeValidity';
import type { SuggestEvent } from '../engine/suggest/suggestEncounter';
import type { SuggestMode } from '../engine/suggest/suggestion';
import type { CdiQueryItem, ChartcoderSettings, Decision, EncounterSummary, EncounterTarget, ServiceHealth } from '../protocol';

export interface SuggestRequest {
  readonly mode?: SuggestMode;
  readonly collectCandidates?: boolean;
  readonly signal?: AbortSignal;
  readonly maxMentions?: number;
}

/** A code as the fiscal year's code set judges it. */
export interface CodeCheck {
  readonly fy: number;
  readonly verdict: CodeVerdict;
}

/** One fiscal year's coding engine, opened: in this process, or in a worker thread (engineWorker.ts). */
export interface Suggester {
  /** The fiscal year of the code set (the configured one until the engine has opened). */
  readonly fy: number;
  /** The mode used when a request names none. */
  defaultMode(): Promise<SuggestMode>;
  suggest(view: EncounterView, request?: SuggestRequest): AsyncGenerator<SuggestEvent>;
  /** A document of the knowledge index a suggestion cites (tabular entry, Index entry, guideline section), with the
   * index's version; `doc` is absent when that index holds no such id. */
  guidanceDocument(id: string, signal?: AbortSignal): Promise<{ readonly doc?: KnowledgeDoc; readonly indexVersion: string }>;
  /** Codes written in a document, each judged by its system's code set; undefined where that system has none loaded
   * (CPT without a licensed file). */
  verifyCodes(codes: readonly { readonly system: CodeSystemKey; readonly code: string }[]): Promise<readonly (CodeCheck | undefined)[]>;
}

export interface CodeEntry {
  readonly code: string;
  readonly title: string;
  readonly billable: boolean;
}

/** What the integrator API needs of the coding engine: served in-process by a Suggester, or by a worker thread that
 * owns the engine (engineWorker.ts), so a long note never holds the event loop that answers other clients. */
export interface CodingService {
  suggest(view: EncounterView, request?: Pick<SuggestRequest, 'mode'>): AsyncIterable<SuggestEvent>;
  lookupCode(system: CodeSystemKey, code: string): Promise<CodeEntry | undefined>;
  /** The fiscal year of the code set. */
  readonly fy: number;
}

/** Coders' decisions, durable: the latest decision per subject and suggestion wins. */
export interface DecisionStore {
  record(decision: Decision): Decision;
  /** Latest decision per suggestion id for one subject. */
  forSubject(subject: string): ReadonlyMap<string, Decision>;
  /** Every subject with a decision, in the order first decided. */
  subjects(): string[];
  /** Why decisions cannot be stored now (disk full, read-only), when they cannot. */
  problem(): string | undefined;
  close(): void;
}

export interface CdiQueryRecord extends CdiQueryItem {
  readonly subject: string;
  readonly user: string;
  readonly time: string;
}

/** CDI query items, durable: per subject, one item per suggestion, the latest kept, in the order first added. */
export interface CdiQueryStore {
  add(record: CdiQueryRecord): CdiQueryRecord;
  forSubject(subject: string): readonly CdiQueryRecord[];
  close(): void;
}

/** A durable append-only log of records (the audit trail). */
export interface AppendLog<T> {
  /** Throws ChartcoderError('store-unavailable') when the record could not be written whole. */
  append(record: T): T;
  readonly records: readonly T[];
  /** Records found damaged when the log was opened (their checksum did not match): skipped, and said. */
  readonly damaged: number;
  /** Why the log cannot take records, when it cannot (opened read-only, or the last append failed). */
  readonly problem: () => string | undefined;
  close(): void;
}

/** The health of what coding in the editor rests on: the retrieval index, Ollama, the FHIR server. */
export type ServiceProbe = () => Promise<ServiceHealth[]>;

/** An encounter read for the editor: from the configured FHIR server, or from a Bundle file. */
export type EncounterLoader = (target: EncounterTarget) => Promise<{ readonly view: EncounterView; readonly source: string }>;

/** The application as the language server and the API see it, built by openApp.ts. Its members are read at each use:
 * after `reconfigure` they are the new settings' (a changed setting applies without restarting anything). */
export interface App {
  settings(): ChartcoderSettings;
  /** Opened on first use; a failed open is tried again on a later call. */
  suggester(): Promise<Suggester>;
  readonly decisions: DecisionStore;
  readonly cdiQueries: CdiQueryStore;
  /** The editor's encounters: the configured FHIR server or a Bundle file. */
  readonly loadEncounter: EncounterLoader;
  findEncounters(text?: string): Promise<EncounterSummary[]>;
  /** The API's encounters, by id, from the FHIR server (configured, or the local test server). */
  readEncounter(id: string): Promise<EncounterView>;
  writeToEhr(transaction: Bundle): Promise<Bundle>;
  readonly serviceHealth: ServiceProbe;
  /** The API's coding engine: in a worker thread (a long note never holds the event loop), or in this process. */
  coding(where: 'worker' | 'in-process'): () => Promise<CodingService>;
  /** The audit trail's log, opened on first use (the API's; the editor does not write one). */
  auditLog(): AppendLog<AuditEvent>;
  /** New settings: what depends on them is reopened (the engine on next use, the stores when their folder moved).
   * False when nothing changed. */
  reconfigure(settings: ChartcoderSettings): boolean;
  close(): void;
}
