// The coding service of the integrator API served in-process by a Suggester (the worker thread serves the same port:
// engineWorker.ts).
import type { CodingService, Suggester } from './ports';

export function inProcessCoding(suggester: Pick<Suggester, 'suggest' | 'verifyCodes' | 'fy'>): CodingService {
  return {
    get fy() {
      return suggester.fy;
    },
    suggest: (view, request = {}) => suggester.suggest(view, request),
    async lookupCode(system, code) {
      const [check] = await suggester.verifyCodes([{ system, code }]);
      const verdict = check?.verdict;
      return verdict && verdict.state !== 'invalid' ? { code: verdict.entry.code, title: verdict.entry.title, billable: verdict.entry.billable } : undefined;
    },
  };
}
