// A durable append-only log of JSON records: each record is written whole as one line and fsync'd before `append`
// returns, so an acknowledged record survives a crash. Opening replays the log; a torn last line is skipped. The logs
// hold PHI (decisions, audit): the file is readable by its owner only (0600), its folder 0700.
import { closeSync, existsSync, fchmodSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface AppendLog<T> {
  append(record: T): T;
  readonly records: readonly T[];
  close(): void;
}

export function openAppendLog<T>(path: string): AppendLog<T> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const records: T[] = [];
  if (existsSync(path)) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try { records.push(JSON.parse(line) as T); } catch { /* a torn last line from a crash */ }
    }
  }
  const fd = openSync(path, 'a', 0o600);
  fchmodSync(fd, 0o600);
  return {
    append(record) {
      const bytes = Buffer.from(JSON.stringify(record) + '\n', 'utf8');
      // writeSync may write less than asked (a full disk, a signal): the rest follows, or the error is thrown.
      for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written, bytes.length - written);
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
