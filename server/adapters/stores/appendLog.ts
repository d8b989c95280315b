// A durable append-only log of JSON records: each record is written whole as one line and fsync'd before `append`
// returns, so an acknowledged record survives a crash. A write that fails part-way (a full disk) is cut off again and
// reported, never acknowledged; opening cuts a torn last line left by a crash, so the next record starts clean. A
// store that cannot be written (read-only, full, no permission) still opens, read-only, and says why on each append.
// Each line carries a checksum of its record: a damaged line is skipped and counted, never read as a decision.
// The logs hold PHI (decisions, audit): the file is readable by its owner only (0600), its folder 0700.
import { closeSync, existsSync, fchmodSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import type { AppendLog } from '../../app/ports';
import { ChartcoderError } from '../../engine/errors';

const describeFsError = (path: string, err: unknown): string => {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOSPC'
      ? 'the disk is full'
      : code === 'EROFS'
        ? 'the file system is read-only'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : (err as Error).message;
  return `${path} cannot be written (${why}${code ? `, ${code}` : ''})`;
};

/** A record's line: its JSON, a tab, "#" and the first 8 hex digits of the JSON's SHA-256 (JSON never holds a raw
 * tab, so the split is unambiguous). Lines written before checksums (JSON alone) are still read. */
const checksumOf = (json: string): string => createHash('sha256').update(json).digest('hex').slice(0, 8);
export const lineOf = (record: unknown): string => {
  const json = JSON.stringify(record);
  return `${json}\t#${checksumOf(json)}\n`;
};

interface Loaded<T> {
  readonly records: T[];
  readonly cleanLength: number;
  /** Whole lines whose checksum does not match what they hold (a damaged disk, an edit by hand): skipped. */
  readonly damaged: number;
}

function readRecords<T>(path: string): Loaded<T> {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const cleanLength = Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1), 'utf8');
  const records: T[] = [];
  let damaged = 0;
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const torn = i === lines.length - 1;
    const checked = /^(.*)\t#([0-9a-f]{8})$/.exec(line);
    if (checked && checksumOf(checked[1]!) !== checked[2]) {
      if (!torn) damaged++;
      return;
    }
    try {
      records.push(JSON.parse(checked ? checked[1]! : line) as T);
    } catch {
      if (!torn) damaged++; // a torn last line from a crash is cut; anything else was damaged
    }
  });
  return { records, cleanLength, damaged };
}

/** The one write the log makes; a test passes one that fails part-way, as a full disk does. */
export type WriteFn = (fd: number, buffer: Buffer, offset: number, length: number) => number;

export function openAppendLog<T>(path: string, write: WriteFn = writeSync): AppendLog<T> {
  let problem: string | undefined;
  let fd: number | undefined;
  let loaded: Loaded<T> = { records: [], cleanLength: 0, damaged: 0 };
  try {
    loaded = readRecords<T>(path);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    fd = openSync(path, 'a', 0o600);
    fchmodSync(fd, 0o600);
    if (fstatSync(fd).size > loaded.cleanLength) ftruncateSync(fd, loaded.cleanLength);
  } catch (err) {
    // Unreadable (an empty log), or readable but not writable (read-only): either way it says why on each append.
    problem = describeFsError(path, err);
    if (fd !== undefined) {
      closeSync(fd);
      fd = undefined;
    }
  }
  const { records } = loaded;
  if (loaded.damaged) process.stderr.write(`chartcoder: ${path}: ${loaded.damaged} damaged record(s) skipped (checksum mismatch); the file is kept as it is\n`);
  return {
    append(record) {
      if (fd === undefined) throw new ChartcoderError('store-unavailable', problem ?? `${path} is closed`);
      const bytes = Buffer.from(lineOf(record), 'utf8');
      const before = fstatSync(fd).size;
      try {
        // writeSync may write less than asked (a full disk, a signal): the rest follows, or the error is thrown.
        for (let written = 0; written < bytes.length; ) written += write(fd, bytes, written, bytes.length - written);
        fsyncSync(fd);
      } catch (err) {
        try {
          ftruncateSync(fd, before);
        } catch {
          /* the torn tail is cut when the log is opened next */
        }
        problem = describeFsError(path, err);
        throw new ChartcoderError('store-unavailable', `${problem}: the record was not stored`, { cause: err });
      }
      problem = undefined;
      records.push(record);
      return record;
    },
    records,
    damaged: loaded.damaged,
    problem: () => problem,
    close: () => {
      if (fd !== undefined) closeSync(fd);
    },
  };
}

export interface SubjectLog<T> {
  append(record: T): T;
  /** The latest record per suggestion of one subject (later records win; order is that of first appearance). */
  latestFor(subject: string): Map<string, T>;
  /** Every subject with a record, in the order first recorded. */
  subjects(): string[];
  /** Why the log cannot take records, when it cannot. */
  problem(): string | undefined;
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
    append(record) {
      index(log.append(record));
      return record;
    },
    latestFor: (subject) => new Map(bySubject.get(subject)),
    subjects: () => [...bySubject.keys()],
    problem: () => log.problem(),
    close: () => log.close(),
  };
}
