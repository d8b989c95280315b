// `chartcoder eval`: every mode on CodiEsp (two layers, report.json + report.md + chart.svg, resumable);
// `chartcoder eval --compare A.json B.json`; `chartcoder eval retrieval`: the retriever alone, per leg.
import type { Command } from 'commander';
import { listOf, oneOf, positive } from './optionParsers';
import { SUGGEST_MODES, type SuggestMode } from '../../engine/suggest/suggestion';
import { codesOfFiscalYear } from '../evaluate/billableCodes';
import { defaultCodiespDir, readCodiesp, type CodiespCase, type CodiespLanguage } from '../evaluate/codiesp';
import { processNote } from '../../engine/text/processNote';
import { clinicalLexicon } from '../../knowledge/lexicon';
import { readReleaseFor } from '../../knowledge/release';
import { evaluateRetrievalRecall, formatRecall } from '../evaluate/retrievalRecall';
import type { BackendKind } from '../../indexing/buildIndex';
import { defaultBackend, openBackend, openEmbedder } from '../../app/openRetriever';
import { consoleProgress } from '../../indexing/progress';
import type { ChartcoderSettings } from '../../protocol';
import { findProjectRoot } from '../../app/projectRoot';
import { compareCommand, runEvalCommand } from './runEval';

interface RetrievalFlags {
  backend?: BackendKind;
  split: 'train' | 'dev';
  data?: string;
  limit?: number;
  perSentence: number;
  queries: 'sentences' | 'mentions';
  legs?: string;
  json?: boolean;
}

interface EvalFlags {
  codiesp?: string;
  bundle?: string;
  model?: string;
  split: string;
  lang: CodiespLanguage;
  modes: SuggestMode[];
  limit?: number;
  out: string;
  maxMentions?: number;
  backend?: BackendKind;
  compare?: string[];
}

export function registerEvalCommands(program: Command, settings: () => ChartcoderSettings, exit: (code: number) => void): void {
  const evaluate = program
    .command('eval')
    .option('--codiesp <dir>', 'CodiEsp v4: a folder with <split>/<split>D.tsv and text_files_en/, or with the archive (default ../shared/data/codiesp)')
    .option(
      '--bundle <file>',
      'instead of CodiEsp: a FHIR Bundle of encounters whose gold codes are their confirmed ICD-10-CM Conditions (and completed ICD-10-PCS Procedures)',
    )
    .option('--split <name>', 'split to evaluate', 'dev')
    .option(
      '--model <name>',
      'coding model for retrieval mode: a folder under training/models or a path (default: chartcoder-coding-train ' +
        'for CodiEsp dev, else chartcoder-coding); refused on documents its card says it was trained on',
    )
    .option(
      '--lang <lang>',
      'CodiEsp text: en (the English translation) or es (the Spanish original; the lexicon is English, so expect little to be coded)',
      oneOf<CodiespLanguage>(['en', 'es'], 'a language'),
      'en' as CodiespLanguage,
    )
    .option('--modes <modes>', 'comma-separated: retrieval,rag,ft,ft+rag', listOf(SUGGEST_MODES, 'modes'), ['retrieval', 'rag'] as SuggestMode[])
    .option('--limit <n>', 'first n documents only', positive)
    .option('--max-mentions <n>', 'mentions coded per document (bounds model time)', positive)
    .option('--backend <backend>', 'es | embedded', oneOf<BackendKind>(['es', 'embedded'], 'a backend'))
    .option('--out <dir>', 'where report.json, report.md, chart.svg and the resumable partial results go', 'eval-out')
    .option('--compare <reports...>', 'two report.json files: show B with its deltas to A')
    .description('two-layer evaluation of every mode on the same documents; resumable')
    .action(async (o: EvalFlags) => {
      if (o.compare) {
        exit(await compareCommand(o.compare));
        return;
      }
      exit(await runEvalCommand(settings(), o));
    });
  evaluate
    .command('retrieval')
    .option('--backend <backend>', 'es | embedded', oneOf<BackendKind>(['es', 'embedded'], 'a backend'))
    .option('--split <split>', 'train | dev', oneOf<'train' | 'dev'>(['train', 'dev'], 'a split'), 'dev')
    .option('--data <folder>', 'folder holding codiesp_v4_train_dev.tar.gz (default ../shared/data/codiesp beside the project)')
    .option('--limit <n>', 'first n documents only', positive)
    .option('--per-sentence <n>', 'hits per query', positive, 50)
    .option('--queries <kind>', 'sentences | mentions (not negated)', oneOf<'sentences' | 'mentions'>(['sentences', 'mentions'], 'a query kind'), 'sentences')
    .option('--json', 'machine-readable report')
    .description('candidate recall@10/20/50/100 of gold diagnosis codes, BM25-only, kNN-only and fused')
    .action(async (o: RetrievalFlags) => {
      const s = settings();
      const root = findProjectRoot();
      const fy = s.knowledge.fy;
      const cases = (await readCodiesp(o.data ?? defaultCodiespDir(root), s.cacheDir, o.split)).slice(0, o.limit);
      const backend = await openBackend(s, o.backend ?? defaultBackend(s), fy);
      const lexicon = o.queries === 'mentions' ? clinicalLexicon(readReleaseFor({ fy, projectRoot: root, cacheDir: s.cacheDir })) : undefined;
      const report = await evaluateRetrievalRecall({
        backend,
        embedder: await openEmbedder(s, backend.embedModel),
        cases,
        billable: codesOfFiscalYear(root, s.cacheDir, fy),
        perSentenceHits: o.perSentence,
        fy,
        progress: consoleProgress(),
        ...(lexicon
          ? {
              queryKind: 'mention (not negated)',
              queriesOf: (c: CodiespCase) =>
                processNote(c.text, lexicon)
                  .mentions.filter((m) => !m.assertions.some((a) => a.category === 'negated'))
                  .map((m) => m.text),
            }
          : {}),
      });
      process.stdout.write((o.json ? JSON.stringify(report, null, 2) : formatRecall(report)) + '\n');
      exit(0);
    });
}
