// Suggestions per document version: computed after a quiet period (debounce), the previous run cancelled when the
// document changes again, the result cached for that version so hovers and code actions never recompute.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { finalResult } from '../engine/suggest/suggestEncounter';
import type { Suggestion, SuggestMode } from '../engine/suggest/suggestion';
import type { Suggester } from '../app/ports';
import type { DocumentEncounter } from './documents/documentEncounter';
import type { DocumentEncounters } from './encounterDocuments';
import { checkWrittenCodes, type WrittenCodeCheck } from './writtenCodes';

export interface Analysis {
  readonly uri: string;
  readonly version: number;
  readonly encounter: DocumentEncounter;
  /** Empty when the document cannot be coded (`encounter.problem` says why). */
  readonly suggestions: readonly Suggestion[];
  readonly degradations: readonly string[];
  readonly codeChecks: readonly WrittenCodeCheck[];
}

export interface Analyzer {
  /**
   * Schedules (or reschedules) the document after the debounce, or after `delayMs`; resolves with its analysis, or
   * undefined when superseded or not codable.
   */
  schedule(document: TextDocument, delayMs?: number): Promise<Analysis | undefined>;
  latest(uri: string): Analysis | undefined;
  forget(uri: string): void;
}

export interface AnalyzerOptions {
  readonly encounterOf: DocumentEncounters;
  readonly suggester: () => Promise<Suggester>;
  readonly mode: () => SuggestMode | undefined;
  readonly debounceMs: number;
  readonly onError: (uri: string, err: unknown) => void;
}

export function createAnalyzer(options: AnalyzerOptions): Analyzer {
  const results = new Map<string, Analysis>();
  const pending = new Map<string, { timer: NodeJS.Timeout; controller: AbortController }>();
  return {
    schedule(document, delayMs = options.debounceMs) {
      const previous = pending.get(document.uri);
      if (previous) {
        clearTimeout(previous.timer);
        previous.controller.abort(new Error('superseded by a newer version'));
      }
      const controller = new AbortController();
      return new Promise((resolve) => {
        const timer = setTimeout(async () => {
          try {
            const encounter = options.encounterOf(document);
            if (!encounter) {
              resolve(undefined);
              return;
            }
            const suggester = await options.suggester();
            const mode = options.mode();
            const result = encounter.view
              ? await finalResult(suggester.suggest(encounter.view, { ...(mode ? { mode } : {}), signal: controller.signal }))
              : undefined;
            if (controller.signal.aborted) {
              resolve(undefined);
              return;
            }
            const analysis: Analysis = {
              uri: document.uri,
              version: document.version,
              encounter,
              suggestions: result?.suggestions ?? [],
              degradations: result?.degradations ?? [],
              codeChecks: await checkWrittenCodes(encounter.codes, suggester),
            };
            results.set(document.uri, analysis);
            resolve(analysis);
          } catch (err) {
            if (!controller.signal.aborted) options.onError(document.uri, err);
            resolve(undefined);
          } finally {
            if (pending.get(document.uri)?.controller === controller) pending.delete(document.uri);
          }
        }, delayMs);
        pending.set(document.uri, { timer, controller });
      });
    },
    latest: (uri) => results.get(uri),
    forget(uri) {
      const p = pending.get(uri);
      if (p) {
        clearTimeout(p.timer);
        p.controller.abort(new Error('closed'));
        pending.delete(uri);
      }
      results.delete(uri);
    },
  };
}
