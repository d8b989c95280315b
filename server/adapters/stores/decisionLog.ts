// Coders' decisions, durable (an fsync'd append-only log): the latest decision per subject and suggestion wins.
import type { Decision } from '../../protocol';
import { latestPerSuggestion, openAppendLog } from './appendLog';

export interface DecisionStore {
  record(decision: Decision): Decision;
  /** Latest decision per suggestion id for one subject. */
  forSubject(subject: string): ReadonlyMap<string, Decision>;
  all(): readonly Decision[];
  close(): void;
}

export function openDecisionLog(path: string): DecisionStore {
  const log = openAppendLog<Decision>(path);
  return {
    record: (decision) => log.append(decision),
    forSubject: (subject) => latestPerSuggestion(log.records, subject),
    all: () => log.records,
    close: () => log.close(),
  };
}
