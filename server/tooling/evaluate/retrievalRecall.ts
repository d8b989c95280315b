// Candidate recall of the retriever on CodiEsp: per-sentence hybrid queries (until mention extraction exists),
// fused per document, scored against billable FY gold diagnosis codes — for BM25 only, kNN only and fused.
import type { Embedder } from '../../engine/ports';
import { createHybridRetriever } from '../../engine/retrieve/hybridRetriever';
import { rankDocumentCodes, recallAtK, type RecallAtK } from '../../engine/metrics/candidateRecall';
import type { LegName, SearchHit } from '../../engine/retrieve/search';
import type { SearchBackend } from '../../engine/ports';
import type { Progress } from '../../indexing/progress';
import type { CodiespCase } from './codiesp';

export const RECALL_KS = [10, 20, 50, 100] as const;

export interface RecallVariant {
  readonly legs: string;
  readonly recall: RecallAtK[];
  readonly queries: number;
  readonly degradedQueries: number;
  readonly msPerQuery: number;
}

export interface RecallReport {
  readonly backend: string;
  readonly indexVersion: string;
  readonly documents: number;
  readonly goldCodes: number;
  readonly goldCodesDropped: number;
  readonly perSentenceHits: number;
  readonly queryKind: string;
  readonly variants: RecallVariant[];
}

export interface RecallOptions {
  readonly backend: SearchBackend;
  readonly embedder: Embedder;
  readonly cases: readonly CodiespCase[];
  /** Gold codes count only if billable in the index's fiscal year. */
  readonly billable: ReadonlySet<string>;
  readonly perSentenceHits: number;
  readonly fy: number;
  readonly progress: Progress;
  /** The queries of one document: its sentences (default), or its mentions once extraction exists. */
  readonly queriesOf?: (c: CodiespCase) => readonly string[];
  readonly queryKind?: string;
}

/** Query vectors are the same for every variant: embed each sentence once. */
function memoized(embedder: Embedder): Embedder {
  const memo = new Map<string, number[]>();
  return {
    model: embedder.model,
    async embed(texts, signal) {
      const missing = texts.filter((t) => !memo.has(t));
      if (missing.length) for (const [i, v] of (await embedder.embed(missing, signal)).entries()) memo.set(missing[i]!, v);
      return texts.map((t) => memo.get(t)!);
    },
  };
}

export async function evaluateRetrievalRecall(options: RecallOptions): Promise<RecallReport> {
  const embedder = memoized(options.embedder);
  const retriever = createHybridRetriever({ backend: options.backend, embedder, legTimeoutMs: 60_000 });
  const gold = options.cases.map((c) => new Set([...c.diagnoses].filter((code) => options.billable.has(code))));
  const allGold = options.cases.reduce((n, c) => n + c.diagnoses.size, 0);
  const variants: RecallVariant[] = [];
  for (const [label, legs] of [
    ['bm25', ['bm25']],
    ['knn', ['knn']],
    ['fused', ['bm25', 'knn']],
  ] as const) {
    const ranked: string[][] = [];
    let queries = 0;
    let degraded = 0;
    const started = Date.now();
    options.progress.start(`CodiEsp recall, ${label}`, options.cases.length);
    for (const [i, c] of options.cases.entries()) {
      const perSentence: SearchHit[][] = [];
      for (const sentence of (options.queriesOf ?? ((d: CodiespCase) => d.sentences))(c)) {
        const result = await retriever.search({
          text: sentence,
          k: options.perSentenceHits,
          legs: legs as readonly LegName[],
          filters: { systems: ['icd10cm'], fy: options.fy },
        });
        queries++;
        if (Object.values(result.legs).some((s) => s.state === 'degraded')) degraded++;
        perSentence.push([...result.hits]);
      }
      ranked.push(rankDocumentCodes(perSentence, (code) => options.billable.has(code)));
      options.progress.update(i + 1);
    }
    options.progress.stop();
    variants.push({
      legs: label,
      queries,
      degradedQueries: degraded,
      msPerQuery: Math.round((Date.now() - started) / Math.max(1, queries)),
      recall: recallAtK(
        ranked.map((r, i) => ({ ranked: r, gold: gold[i]! })),
        RECALL_KS,
      ),
    });
  }
  const kept = gold.reduce((n, g) => n + g.size, 0);
  return {
    backend: options.backend.name,
    indexVersion: await options.backend.indexVersion(),
    documents: options.cases.length,
    goldCodes: kept,
    goldCodesDropped: allGold - kept,
    perSentenceHits: options.perSentenceHits,
    queryKind: options.queryKind ?? 'sentence',
    variants,
  };
}

export function formatRecall(report: RecallReport): string {
  const header = `CodiEsp dev, ${report.documents} documents, ${report.goldCodes} billable FY gold diagnosis codes (${report.goldCodesDropped} gold codes not billable in the FY left out); ${report.backend} ${report.indexVersion}; one query per ${report.queryKind}, ${report.perSentenceHits} hits each`;
  const rows = report.variants.map(
    (v) =>
      `  ${v.legs.padEnd(6)} ${v.recall.map((r) => `R@${r.k} ${r.micro.toFixed(3)} (macro ${r.macro.toFixed(3)})`).join('  ')}  · ${v.queries} queries, ${v.msPerQuery} ms/query${v.degradedQueries ? `, ${v.degradedQueries} degraded` : ''}`,
  );
  return [header, ...rows].join('\n');
}
