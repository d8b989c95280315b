// The messages between the API and its coding worker.
import type { EncounterView } from '../../fhir';
import type { CodeSystemKey } from '../engine/retrieve/knowledgeDoc';
import type { ErrorReason } from '../engine/errors';
import type { SuggestMode } from '../engine/suggest/suggestion';

export type WorkerAsk =
  | { readonly op: 'suggest'; readonly view: EncounterView; readonly mode?: SuggestMode }
  | { readonly op: 'lookup'; readonly system: CodeSystemKey; readonly code: string };

export type WorkerRequest = WorkerAsk & { readonly id: number };

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown; readonly fy: number }
  | { readonly id: number; readonly ok: false; readonly reason?: ErrorReason; readonly message: string };
