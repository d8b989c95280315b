// Coders' decisions, durable (an fsync'd append-only log): the latest decision per subject and suggestion wins.
import type { Decision } from '../../protocol';
import { openSubjectLog } from './appendLog';

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

export function openDecisionLog(path: string): DecisionStore {
  const log = openSubjectLog<Decision>(path);
  return {
    record: (decision) => log.append(decision),
    forSubject: (subject) => log.latestFor(subject),
    subjects: () => log.subjects(),
    problem: () => log.problem(),
    close: () => log.close(),
  };
}
