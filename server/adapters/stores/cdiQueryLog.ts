// CDI query items, durable (an fsync'd append-only log like the decisions): per subject, one item per suggestion,
// the latest kept, in the order first added.
import type { CdiQueryItem } from '../../protocol';
import { openAppendLog } from './appendLog';

export interface CdiQueryRecord extends CdiQueryItem {
  readonly subject: string;
  readonly user: string;
  readonly time: string;
}

export interface CdiQueryStore {
  add(record: CdiQueryRecord): CdiQueryRecord;
  forSubject(subject: string): readonly CdiQueryRecord[];
  close(): void;
}

export function openCdiQueryLog(path: string): CdiQueryStore {
  const log = openAppendLog<CdiQueryRecord>(path);
  return {
    add: (record) => log.append(record),
    forSubject(subject) {
      const latest = new Map<string, CdiQueryRecord>();
      for (const r of log.records) if (r.subject === subject) latest.set(r.suggestionId, r);
      return [...latest.values()];
    },
    close: () => log.close(),
  };
}
