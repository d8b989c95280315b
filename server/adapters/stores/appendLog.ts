// A durable append-only log of JSON records: each record is written as one line and fsync'd before `append`
// returns, so an acknowledged record survives a crash. Opening replays the log; a torn last line is skipped.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface AppendLog<T> {
  append(record: T): T;
  readonly records: readonly T[];
  close(): void;
}

export function openAppendLog<T>(path: string): AppendLog<T> {
  mkdirSync(dirname(path), { recursive: true });
  const records: T[] = [];
  if (existsSync(path)) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try { records.push(JSON.parse(line) as T); } catch { /* a torn last line from a crash */ }
    }
  }
  const fd = openSync(path, 'a');
  return {
    append(record) {
      writeSync(fd, JSON.stringify(record) + '\n');
      fsyncSync(fd);
      records.push(record);
      return record;
    },
    records,
    close: () => closeSync(fd),
  };
}

export interface SubjectLog<T> {
  append(record: T): T;
  /** The latest record per suggestion of one subject (later records win; order is that of first appearance). */
  latestFor(subject: string): Map<string, T>;
  /** Every subject with a record, in the order first recorded. */
  subjects(): string[];
  close(): void;
}

/** An append log of records about suggestions of a subject, indexed by subject so a lookup reads only its own. */
export function openSubjectLog<T extends { readonly subject: string; readonly suggestionId: string }>(path: string): SubjectLog<T> {
  const log = openAppendLog<T>(path);
  const bySubject = new Map<string, Map<string, T>>();
  const index = (r: T) => {
    const mine = bySubject.get(r.subject) ?? new Map<string, T>();
    bySubject.set(r.subject, mine.set(r.suggestionId, r));
  };
  log.records.forEach(index);
  return {
    append(record) { index(log.append(record)); return record; },
    latestFor: (subject) => new Map(bySubject.get(subject)),
    subjects: () => [...bySubject.keys()],
    close: () => log.close(),
  };
}
