// What the integrator API needs of the coding engine: an encounter's codes, and a look-up in the fiscal year's code
// set. Served in-process by a Suggester, or by a worker thread that owns the engine (workerCodingService.ts), so a
// long note never holds the event loop that answers other clients.
import type { EncounterView } from '../../fhir';
import type { CodeSystemKey } from '../engine/retrieve/knowledgeDoc';
import type { SuggestEvent } from '../engine/suggest/suggestEncounter';
import type { SuggestRequest, Suggester } from './openSuggester';

export interface CodeEntry {
  readonly code: string;
  readonly title: string;
  readonly billable: boolean;
}

export interface CodingService {
  suggest(view: EncounterView, request?: Pick<SuggestRequest, 'mode'>): AsyncIterable<SuggestEvent>;
  lookupCode(system: CodeSystemKey, code: string): Promise<CodeEntry | undefined>;
  /** The fiscal year of the code set. */
  readonly fy: number;
}

export function inProcessCoding(suggester: Pick<Suggester, 'suggest' | 'book' | 'fy'>): CodingService {
  return {
    fy: suggester.fy,
    suggest: (view, request = {}) => suggester.suggest(view, request),
    async lookupCode(system, code) {
      const entry = suggester.book.catalog(system).lookup(code.trim().toUpperCase());
      return entry ? { code: entry.code, title: entry.title, billable: entry.billable } : undefined;
    },
  };
}
