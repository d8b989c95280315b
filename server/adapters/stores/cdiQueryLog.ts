// CDI query items, durable (an fsync'd append-only log like the decisions): per subject, one item per suggestion,
// the latest kept, in the order first added.
import type { CdiQueryItem } from '../../protocol';
import { openSubjectLog } from './appendLog';

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
  const log = openSubjectLog<CdiQueryRecord>(path);
  return {
    add: (record) => log.append(record),
    forSubject: (subject) => [...log.latestFor(subject).values()],
    close: () => log.close(),
  };
}
