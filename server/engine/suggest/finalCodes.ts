// A subject's final code set as the coders decided it: the accepted or replacing code of every decided suggestion
// (the latest decision per suggestion wins; rejections leave nothing). What $write-back sends to the EHR and what
// training learns from.
import type { CodeSystemKey } from '../retrieve/knowledgeDoc';

export interface FinalCode {
  readonly system: CodeSystemKey;
  readonly code: string;
}

/** What a decision says, as far as the final codes go ("system|code" suggestion ids). */
export interface DecidedSuggestion {
  readonly suggestionId: string;
  readonly action: string;
  readonly replacementCode?: string;
}

/** The final codes of one subject's latest decisions, one per decided suggestion. */
export function finalCodes(latest: Iterable<DecidedSuggestion>): FinalCode[] {
  return [...latest].flatMap((d) => {
    const [system, code] = d.suggestionId.split('|') as [CodeSystemKey, string];
    if (d.action === 'accept') return [{ system, code }];
    if (d.action === 'replace' && d.replacementCode) return [{ system, code: d.replacementCode }];
    return [];
  });
}
