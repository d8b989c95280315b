// `chartcoder index build`, `chartcoder search`, `chartcoder kb import`.
import { knnCoverageProblem } from '../../engine/ports';
import { InvalidArgumentError, type Command } from 'commander';
import { integerIn, oneOf } from './optionParsers';
import { CODE_SYSTEM_KEYS, DOC_KINDS, type CodeSystemKey, type DocKind } from '../../engine/retrieve/knowledgeDoc';
import type { LegName } from '../../engine/retrieve/search';
import { buildIndex, type BackendKind } from '../../indexing/buildIndex';
import { defaultBackend, openRetriever } from '../../app/openRetriever';
import { consoleProgress } from '../../indexing/progress';
import { importRelease } from '../../knowledge/importRelease';
import { releaseManifestPath } from '../../knowledge/release';
import type { ChartcoderSettings } from '../../protocol';
import { findProjectRoot } from '../../app/projectRoot';
import { formatSearch } from './formatSearch';

const SYSTEM_ALIASES: Record<string, CodeSystemKey> = { icd10cm: 'icd10cm', cm: 'icd10cm', icd10pcs: 'icd10pcs', pcs: 'icd10pcs', cpt: 'cpt', hcpcs: 'hcpcs' };

const backendOption = oneOf<BackendKind>(['es', 'embedded'], 'a backend');
const kindOption = oneOf<DocKind>(DOC_KINDS, 'a document kind');
const legsOption = (value: string): LegName[] => value.split(',').map((leg) => oneOf<LegName>(['bm25', 'knn'], 'legs')(leg.trim()));
const systemOption = (value: string): CodeSystemKey => {
  const key = SYSTEM_ALIASES[value.toLowerCase()];
  if (!key) throw new InvalidArgumentError(`expected a code system: ${[...CODE_SYSTEM_KEYS, 'pcs'].join(', ')}`);
  return key;
};

interface SearchFlags {
  backend?: BackendKind;
  system?: CodeSystemKey;
  kind?: DocKind;
  billable?: boolean;
  k: number;
  fy?: number;
  legs?: LegName[];
  json?: boolean;
}

export function registerKnowledgeCommands(program: Command, settings: () => ChartcoderSettings, exit: (code: number) => void): void {
  const index = program.command('index').description('the searchable knowledge index');
  index
    .command('build')
    .option('--backend <backend>', 'es | embedded (default: es when a cluster is configured, else embedded)', backendOption)
    .option('--fy <year>', 'code-set fiscal year', integerIn(2015, 2100))
    .option('--no-embeddings', 'BM25 only: skip the vectors')
    .option('--force', 'rebuild even if the live index matches the knowledge and embedding model')
    .option('--json', 'machine-readable report')
    .description('load the knowledge release, embed (cached) and index it')
    .action(async (o: { backend?: BackendKind; fy?: number; embeddings: boolean; force?: boolean; json?: boolean }) => {
      const s = settings();
      const report = await buildIndex(s, {
        backend: o.backend ?? defaultBackend(s),
        fy: o.fy ?? s.knowledge.fy,
        embeddings: o.embeddings,
        progress: consoleProgress(),
        projectRoot: findProjectRoot(),
        force: Boolean(o.force),
      });
      process.stdout.write(
        o.json
          ? JSON.stringify(report, null, 2) + '\n'
          : report.upToDate
            ? `up to date: ${report.index} (${report.documents} documents, ${report.vectors} vectors)\n`
            : `built ${report.index}: ${report.documents} documents, ${report.vectors} vectors${report.embeddingsSkipped ? ` (embeddings skipped: ${report.embeddingsSkipped})` : ''}, ${report.problems} rows skipped; load ${report.seconds.load}s, embed ${report.seconds.embed}s, index ${report.seconds.index}s\n`,
      );
      // Usable (BM25 and the vectors it has) but incomplete: said, and not a success, so a script stops here.
      const incomplete = knnCoverageProblem({ vectors: report.vectors, expected: report.expectedVectors });
      if (incomplete) process.stderr.write(`chartcoder: ${incomplete}\n`);
      exit(incomplete ? 1 : 0);
    });

  program
    .command('search')
    .argument('<text>', 'what to look for, as a coder would type it')
    .option('--backend <backend>', 'es | embedded', backendOption)
    .option('--system <system>', 'icd10cm | pcs | cpt | hcpcs', systemOption)
    .option('--kind <kind>', DOC_KINDS.join(' | '), kindOption)
    .option('--billable', 'only codes valid for reporting')
    .option('--k <k>', 'number of hits', integerIn(1, 200), 20)
    .option('--fy <year>', 'code-set fiscal year', integerIn(2015, 2100))
    .option('--legs <legs>', 'bm25,knn (default both)', legsOption)
    .option('--json', 'machine-readable output')
    .description('hybrid search (BM25 + kNN, fused by RRF) over codes, index entries, tables and guidelines')
    .action(async (text: string, o: SearchFlags) => {
      const s = settings();
      const fy = o.fy ?? s.knowledge.fy;
      const retriever = await openRetriever(s, o.backend ?? defaultBackend(s), fy);
      const result = await retriever.search({
        text,
        k: o.k,
        ...(o.legs ? { legs: o.legs } : {}),
        filters: { fy, ...(o.system ? { systems: [o.system] } : {}), ...(o.kind ? { kinds: [o.kind] } : {}), ...(o.billable ? { billable: true } : {}) },
      });
      process.stdout.write((o.json ? JSON.stringify(result, null, 2) : formatSearch(result)) + '\n');
      exit(0);
    });

  program
    .command('kb')
    .description('knowledge releases')
    .command('import')
    .argument('<folder>', 'a folder with official CMS/CDC release files')
    .requiredOption('--fy <year>', 'the fiscal year the release is for', integerIn(2015, 2100))
    .description('store a new official release (order, tabular/index/table XML, guidelines PDF, POA, PCS, HCPCS) as a new FY version')
    .action((folder: string, o: { fy: number }) => {
      const s = settings();
      const root = findProjectRoot();
      const result = importRelease({
        folder,
        fy: o.fy,
        cacheDir: s.cacheDir,
        baseManifestPath: releaseManifestPath({ fy: s.knowledge.fy, projectRoot: root, cacheDir: s.cacheDir }),
      });
      process.stdout.write(
        `imported FY${o.fy} (${result.imported.join(', ')}) → ${result.manifestPath}${result.carriedOver.length ? `; carried over from FY${s.knowledge.fy}: ${result.carriedOver.join(', ')}` : ''}\nnext: chartcoder index build --fy ${o.fy}\n`,
      );
      exit(0);
    });
}
