// Coders' decisions, durable: one JSON line per decision appended and fsync'd before the caller hears "stored", so
// a crash never loses an acknowledged decision. On open the log is replayed (a torn last line from a crash is
// skipped); the latest decision per subject and suggestion wins.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Decision } from '../../protocol';

export interface DecisionStore {
  record(decision: Decision): Decision;
  /** Latest decision per suggestion id for one subject. */
  forSubject(subject: string): ReadonlyMap<string, Decision>;
  all(): readonly Decision[];
  close(): void;
}

const keyOf = (d: Pick<Decision, 'subject' | 'suggestionId'>) => `${d.subject}\u0000${d.suggestionId}`;

export function openDecisionLog(path: string): DecisionStore {
  mkdirSync(dirname(path), { recursive: true });
  const history: Decision[] = [];
  if (existsSync(path)) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try { history.push(JSON.parse(line) as Decision); } catch { /* torn last line */ }
    }
  }
  const latest = new Map(history.map((d) => [keyOf(d), d]));
  const fd = openSync(path, 'a');
  return {
    record(decision) {
      writeSync(fd, JSON.stringify(decision) + '\n');
      fsyncSync(fd);
      history.push(decision);
      latest.set(keyOf(decision), decision);
      return decision;
    },
    forSubject(subject) {
      return new Map([...latest.values()].filter((d) => d.subject === subject).map((d) => [d.suggestionId, d]));
    },
    all: () => history,
    close: () => closeSync(fd),
  };
}
