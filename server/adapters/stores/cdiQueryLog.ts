// CDI query items, durable (an fsync'd append-only log like the decisions): per subject, one item per suggestion,
// the latest kept, in the order first added.
import type { CdiQueryRecord, CdiQueryStore } from '../../app/ports';
import { openSubjectLog } from './appendLog';

export function openCdiQueryLog(path: string): CdiQueryStore {
  const log = openSubjectLog<CdiQueryRecord>(path);
  return {
    add: (record) => log.append(record),
    forSubject: (subject) => [...log.latestFor(subject).values()],
    close: () => log.close(),
  };
}
