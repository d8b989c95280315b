// The coding service of the integrator API served in-process by a Suggester (the worker thread serves the same port:
// workerCodingService.ts).
import type { CodingService, Suggester } from './ports';

export type { CodeEntry, CodingService } from './ports';

export function inProcessCoding(suggester: Pick<Suggester, 'suggest' | 'book' | 'fy'>): CodingService {
  return {
    fy: suggester.fy,
    suggest: (view, request = {}) => suggester.suggest(view, request),
    async lookupCode(system, code) {
      const entry = suggester.book.catalog(system).lookup(code.trim().toUpperCase());
      return entry ? { code: entry.code, title: entry.title, billable: entry.billable } : undefined;
    },
  };
}
