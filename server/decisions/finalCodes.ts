// A subject's final code set as the coders decided it: the accepted or replacing code of every decided suggestion
// (the latest decision per suggestion wins; rejections leave nothing). What $write-back sends to the EHR and what
// training learns from.
import type { DecisionStore } from '../adapters/stores/decisionLog';
import type { CodeSystemKey } from '../engine/retrieve/knowledgeDoc';

export interface FinalCode {
  readonly system: CodeSystemKey;
  readonly code: string;
}

export function finalCodes(decisions: DecisionStore, subject: string): FinalCode[] {
  return [...decisions.forSubject(subject).values()].flatMap((d) => {
    const [system, code] = d.suggestionId.split('|') as [CodeSystemKey, string];
    if (d.action === 'accept') return [{ system, code }];
    if (d.action === 'replace' && d.replacementCode) return [{ system, code: d.replacementCode }];
    return [];
  });
}
