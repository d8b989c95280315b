// `chartcoder eval retrieval`: the retriever quality gate (candidate recall@k on CodiEsp).
import { InvalidArgumentError, type Command } from 'commander';
import { join } from 'node:path';
import { codesOfFiscalYear } from '../eval/billableCodes';
import { readCodiesp } from '../eval/codiesp';
import { evaluateRetrievalRecall, formatRecall } from '../eval/retrievalRecall';
import type { BackendKind } from '../indexing/buildIndex';
import { defaultBackend, openBackend, openEmbedder } from '../indexing/openRetriever';
import { consoleProgress } from '../indexing/progress';
import type { ChartcoderSettings } from '../protocol';
import { findProjectRoot } from '../provision/scripts';

const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

interface RetrievalFlags { backend?: BackendKind; split: 'train' | 'dev'; data?: string; limit?: number; perSentence: number; json?: boolean }

export function registerEvalCommands(program: Command, settings: () => ChartcoderSettings, exit: (code: number) => void): void {
  const evaluate = program.command('eval').description('evaluation harness');
  evaluate.command('retrieval')
    .option('--backend <backend>', 'es | embedded', (v) => { if (v !== 'es' && v !== 'embedded') throw new InvalidArgumentError('es or embedded'); return v as BackendKind; })
    .option('--split <split>', 'train | dev', (v) => { if (v !== 'train' && v !== 'dev') throw new InvalidArgumentError('train or dev'); return v as 'train' | 'dev'; }, 'dev')
    .option('--data <folder>', 'folder holding codiesp_v4_train_dev.tar.gz (default ../shared/data/codiesp beside the project)')
    .option('--limit <n>', 'first n documents only', positive)
    .option('--per-sentence <n>', 'hits per sentence query', positive, 50)
    .option('--json', 'machine-readable report')
    .description('candidate recall@10/20/50/100 of gold diagnosis codes, BM25-only, kNN-only and fused')
    .action(async (o: RetrievalFlags) => {
      const s = settings();
      const root = findProjectRoot();
      const fy = s.knowledge.fy;
      const cases = (await readCodiesp(o.data ?? join(root, '..', 'shared', 'data', 'codiesp'), s.cacheDir, o.split)).slice(0, o.limit);
      const backend = await openBackend(s, o.backend ?? defaultBackend(s), fy);
      const report = await evaluateRetrievalRecall({
        backend, embedder: await openEmbedder(s, backend.embedModel), cases, billable: codesOfFiscalYear(root, s.cacheDir, fy),
        perSentenceHits: o.perSentence, fy, progress: consoleProgress(),
      });
      process.stdout.write((o.json ? JSON.stringify(report, null, 2) : formatRecall(report)) + '\n');
      exit(0);
    });
}
