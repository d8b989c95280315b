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

/** The latest record per suggestion for one subject (later records win; order is that of first appearance). */
export function latestPerSuggestion<T extends { readonly subject: string; readonly suggestionId: string }>(records: readonly T[], subject: string): Map<string, T> {
  const latest = new Map<string, T>();
  for (const r of records) if (r.subject === subject) latest.set(r.suggestionId, r);
  return latest;
}
