// Coders' decisions, durable (an fsync'd append-only log): the latest decision per subject and suggestion wins.
import type { DecisionStore } from '../../app/ports';
import type { Decision } from '../../protocol';
import { openSubjectLog } from './appendLog';

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
