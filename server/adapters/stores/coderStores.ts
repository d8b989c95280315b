// What coders and CDI specialists decide, kept side by side in one folder: decisions and CDI query items.
import { join } from 'node:path';
import type { CdiQueryStore, DecisionStore } from '../../app/ports';
import { openCdiQueryLog } from './cdiQueryLog';
import { openDecisionLog } from './decisionLog';

export interface CoderStores {
  readonly decisions: DecisionStore;
  readonly cdiQueries: CdiQueryStore;
  close(): void;
}

export function openCoderStores(dir: string): CoderStores {
  const decisions = openDecisionLog(join(dir, 'decisions.jsonl'));
  const cdiQueries = openCdiQueryLog(join(dir, 'cdi-queries.jsonl'));
  return {
    decisions,
    cdiQueries,
    close: () => {
      decisions.close();
      cdiQueries.close();
    },
  };
}
