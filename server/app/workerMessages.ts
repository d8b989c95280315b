// The messages between the application and its engine worker (codingWorker.ts): what the language server and the API
// ask of the coding engine, and a cancel for a suggestion run its caller gave up on.
import type { EncounterView } from '../../fhir';
import type { ErrorReason } from '../engine/errors';
import type { CodeSystemKey } from '../engine/retrieve/knowledgeDoc';
import type { SuggestRequest } from './ports';

export type WorkerAsk =
  | { readonly op: 'suggest'; readonly view: EncounterView; readonly request: Omit<SuggestRequest, 'signal'> }
  | { readonly op: 'verify'; readonly codes: readonly { readonly system: CodeSystemKey; readonly code: string }[] }
  | { readonly op: 'guidance'; readonly docId: string }
  | { readonly op: 'defaultMode' };

export type WorkerRequest = (WorkerAsk & { readonly id: number }) | { readonly op: 'cancel'; readonly id: number };

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown; readonly fy: number }
  | { readonly id: number; readonly ok: false; readonly reason?: ErrorReason; readonly message: string };
