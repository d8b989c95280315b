// `chartcoder bench retrieval | encounter | suggest | embedded-libraries`: numbers, never pass/fail.
import type { Command } from 'commander';
import { listOf, oneOf, positive } from './optionParsers';
import { benchLsp, firstWords } from '../bench/lspBench';
import { cpus, tmpdir, totalmem } from 'node:os';
import { benchSuggest, recordingLlm } from '../bench/suggestBench';
import { loadTest } from '../bench/httpLoad';
import { measureResponsiveness } from '../bench/apiResponsiveness';
import { inProcessCoding } from '../../app/codingService';
import { engineWorker } from '../../app/engineWorker';
import { mkdtempSync } from 'node:fs';
import { SUGGEST_MODES, type SuggestMode } from '../../engine/suggest/suggestion';
import { openSuggester } from '../../app/openSuggester';
import { join } from 'node:path';
import { compareEmbeddedLibraries } from '../bench/embeddedLibraries';
import { benchEncounter } from '../bench/encounterBench';
import { clinicalLexicon } from '../../knowledge/lexicon';
import { readReleaseFor } from '../../knowledge/release';
import { dropBenchIndex, elasticsearchFootprint, measureLatency, runBuild, type BuildNumbers, type LatencyRow } from '../bench/retrievalBench';
import { defaultCodiespDir, readCodiesp } from '../evaluate/codiesp';
import { measureLspResponsiveness } from '../bench/lspResponsiveness';
import { loadKnowledge } from '../../indexing/buildIndex';
import { silentProgress } from '../../indexing/progress';
import type { ChartcoderSettings } from '../../protocol';
import { findProjectRoot } from '../../app/projectRoot';

async function benchQueries(settings: ChartcoderSettings, root: string, data: string | undefined, count: number): Promise<string[]> {
  const cases = await readCodiesp(data ?? defaultCodiespDir(root), settings.cacheDir, 'dev');
  return cases.flatMap((c) => c.sentences).slice(0, count);
}

const table = (rows: readonly object[]): string => {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [keys.join('\t'), ...rows.map((r) => keys.map((k) => String((r as Record<string, unknown>)[k] ?? '')).join('\t'))].join('\n');
};

/** CodiEsp cases end to end, cut at `characters`: one large note of real clinical text. */
const noteOfLength = (cases: readonly { readonly text: string }[], characters: number): string => {
  let note = '';
  for (let i = 0; note.length < characters; i++) note += `${cases[i % cases.length]!.text}\n`;
  return note.slice(0, characters);
};

export function registerBenchCommands(program: Command, settings: () => ChartcoderSettings, exit: (code: number) => void): void {
  const bench = program.command('bench').description('benchmarks that report numbers');
  bench
    .command('retrieval')
    .option('--queries <n>', 'CodiEsp dev sentences used as queries', positive, 200)
    .option('--skip-builds', 'latency only')
    .option('--data <folder>', 'folder holding codiesp_v4_train_dev.tar.gz')
    .option('--json', 'machine-readable report')
    .description('index build time/memory (ES, embedded; with and without embeddings) and query latency per leg vs bare _search')
    .action(async (o: { queries: number; skipBuilds?: boolean; data?: string; json?: boolean }) => {
      const s = settings();
      const root = findProjectRoot();
      const builds: BuildNumbers[] = [];
      if (!o.skipBuilds) {
        const cliPath = join(root, 'dist', 'cli.js');
        const benchPrefix = `${s.elasticsearch.indexPrefix}-bench`;
        for (const backend of ['embedded', 'es'] as const) {
          for (const embeddings of [false, true]) {
            const env = { ...process.env, CHARTCODER_ES_INDEX_PREFIX: benchPrefix, CHARTCODER_CACHE_DIR: s.cacheDir };
            const report = await runBuild(cliPath, backend, embeddings, env);
            const footprint = backend === 'es' ? await elasticsearchFootprint(s, benchPrefix) : undefined;
            if (backend === 'es') await dropBenchIndex(s, benchPrefix);
            builds.push({
              backend,
              embeddings,
              loadS: report.seconds.load,
              embedS: report.seconds.embed,
              indexS: report.seconds.index,
              maxRssMb: report.maxRssMb,
              vectors: report.vectors,
              ...(footprint ? { esStoreMb: footprint.storeMb, esHeapMb: footprint.heapMb } : {}),
            });
          }
        }
      }
      const queries = await benchQueries(s, root, o.data, o.queries);
      const latency: LatencyRow[] = [];
      for (const backend of ['embedded', 'es'] as const) latency.push(...(await measureLatency(s, backend, queries)));
      const report = { queries: queries.length, builds, latency };
      process.stdout.write(
        o.json
          ? JSON.stringify(report, null, 2) + '\n'
          : `${builds.length ? `index builds (embedded rebuilt in place; ES under prefix ${s.elasticsearch.indexPrefix}-bench)\n${table(builds)}\n\n` : ''}query latency over ${queries.length} CodiEsp dev sentences, 40 hits per leg\n${table(latency)}\n`,
      );
      exit(0);
    });
  bench
    .command('encounter')
    .option('--runs <n>', 'repetitions per note size', positive, 20)
    .option('--data <folder>', 'folder holding codiesp_v4_train_dev.tar.gz')
    .description('assembly + text processing time per encounter: a ~400-word and a ~5,000-word note, vs sentence splitting alone')
    .action(async (o: { runs: number; data?: string }) => {
      const s = settings();
      const root = findProjectRoot();
      const cases = await readCodiesp(o.data ?? defaultCodiespDir(root), s.cacheDir, 'dev');
      const lexicon = clinicalLexicon(readReleaseFor({ fy: s.knowledge.fy, projectRoot: root, cacheDir: s.cacheDir }));
      const rows = await benchEncounter(
        cases.map((c) => c.text),
        lexicon,
        [400, 5_000],
        o.runs,
      );
      process.stdout.write(`${table(rows)}\n`);
      exit(0);
    });
  bench
    .command('suggest')
    .option('--docs <n>', 'CodiEsp dev documents', positive, 5)
    .option('--modes <modes>', 'comma-separated modes', listOf(SUGGEST_MODES, 'modes'), ['retrieval', 'rag'] as SuggestMode[])
    .option('--max-mentions <n>', 'mentions coded per document', positive, 12)
    .option('--warmup <n>', 'documents coded untimed before each model mode (the model loaded, the other thread count tried and left)', positive, 3)
    .option('--words <n>', 'only documents of at least this many words, each cut to that length', positive)
    .option('--coding-model <name>', 'coding model (a folder under training/models; its judge blends serve rag and ft+rag)')
    .option('--data <folder>', 'folder holding codiesp_v4_train_dev.tar.gz')
    .option('--json', 'machine-readable report')
    .description(
      'per-encounter coding latency by mode; for the model modes the ratio to bare Ollama /api/chat calls with the same prompts, and what the prompt cache saves (between notes, and after an addendum)',
    )
    .action(
      async (o: {
        docs: number;
        modes: SuggestMode[];
        maxMentions: number;
        warmup: number;
        words?: number;
        codingModel?: string;
        data?: string;
        json?: boolean;
      }) => {
        const s = settings();
        const root = findProjectRoot();
        const words = o.words;
        const chosen = (await readCodiesp(o.data ?? defaultCodiespDir(root), s.cacheDir, 'dev'))
          .filter((c) => words === undefined || c.text.split(/\s+/).length >= words)
          .slice(0, o.docs + o.warmup);
        const cases = chosen.slice(0, o.docs);
        const recorder = recordingLlm();
        const suggester = await openSuggester(s, { projectRoot: root, wrapLlm: recorder.wrap, ...(o.codingModel ? { codingModel: o.codingModel } : {}) });
        const notesOf = (list: typeof chosen) => list.map((c) => ({ name: `codiesp:${c.id}`, text: words === undefined ? c.text : firstWords(c.text, words) }));
        const rows = await benchSuggest({
          settings: s,
          suggester,
          recorder,
          notes: notesOf(cases),
          warmup: notesOf(chosen.slice(o.docs)),
          modes: o.modes,
          maxMentions: o.maxMentions,
        });
        process.stdout.write(
          o.json
            ? JSON.stringify(rows, null, 2) + '\n'
            : `${cases.length} CodiEsp dev documents (after ${chosen.length - cases.length} untimed), at most ${o.maxMentions} mentions each\n${table(rows)}\n`,
        );
        exit(0);
      },
    );
  bench
    .command('lsp')
    .option('--docs <n>', 'CodiEsp dev documents of at least --words words, each cut to that length', positive, 5)
    .option('--words <n>', 'note length', positive, 400)
    .option('--runs <n>', 'hover and code-action requests', positive, 200)
    .option('--mode <mode>', 'suggestion mode', oneOf(SUGGEST_MODES, 'a mode'), 'retrieval' as SuggestMode)
    .option('--data <folder>', 'folder holding codiesp_v4_train_dev.tar.gz')
    .option('--json', 'machine-readable report')
    .description(
      'language server in process: didOpen → first diagnostics vs the engine alone, hover and code-action latency vs a bare JSON-RPC round trip, RSS',
    )
    .action(async (o: { docs: number; words: number; runs: number; mode: SuggestMode; data?: string; json?: boolean }) => {
      const s = settings();
      const root = findProjectRoot();
      const cases = (await readCodiesp(o.data ?? defaultCodiespDir(root), s.cacheDir, 'dev'))
        .filter((c) => c.text.split(/\s+/).length >= o.words)
        .slice(0, o.docs);
      const suggester = await openSuggester(s, { projectRoot: root });
      const report = await benchLsp(
        s,
        suggester,
        cases.map((c) => firstWords(c.text, o.words)),
        o.mode,
        o.runs,
      );
      process.stdout.write(
        o.json
          ? JSON.stringify(report, null, 2) + '\n'
          : `${cases.length} CodiEsp dev notes of ~${Math.round(report.words)} words, mode ${report.mode}; ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB\n${table([...report.rows])}\nRSS ${report.rssMb.beforeOpen} MB with the engine loaded, ${report.rssMb.afterAnalysis} MB after analysing the notes\n`,
      );
      exit(0);
    });
  bench
    .command('http')
    .option('--clients <n>', 'concurrent integrator clients', positive, 20)
    .option('--seconds <n>', 'how long', positive, 60)
    .option('--json', 'machine-readable report')
    .description('concurrent $suggest-codes clients (retrieval mode) on loopback: errors, p50/p95, throughput')
    .action(async (o: { clients: number; seconds: number; json?: boolean }) => {
      const s = settings();
      const root = findProjectRoot();
      const suggester = await openSuggester(s, { projectRoot: root });
      const report = await loadTest({
        settings: s,
        suggester,
        projectRoot: root,
        workDir: mkdtempSync(join(tmpdir(), 'chartcoder-load-')),
        clients: o.clients,
        seconds: o.seconds,
      });
      process.stdout.write(o.json ? JSON.stringify(report, null, 2) + '\n' : `${table([report])}\n`);
      exit(0);
    });
  bench
    .command('api-responsiveness')
    .option(
      '--characters <n>',
      "size of the note coded meanwhile (inline attachments stay under FHIR's 1 MB string limit up to about 750,000)",
      positive,
      700_000,
    )
    .option('--runs <n>', 'runs per engine placement (medians reported)', positive, 3)
    .option('--json', 'machine-readable report')
    .description('/fhir/metadata latency while one large note is coded: engine in a worker thread vs on the API thread')
    .action(async (o: { characters: number; runs: number; json?: boolean }) => {
      const base = settings();
      const s = { ...base, knowledge: { ...base.knowledge, maxNoteCharacters: Math.max(base.knowledge.maxNoteCharacters, o.characters) } };
      const root = findProjectRoot();
      const cases = await readCodiesp(defaultCodiespDir(root), s.cacheDir, 'dev');
      const note = noteOfLength(cases, o.characters);
      const workDir = mkdtempSync(join(tmpdir(), 'chartcoder-responsiveness-'));
      const worker = engineWorker(s, root);
      const inProcess = inProcessCoding(await openSuggester(s, { projectRoot: root }));
      const rows = [];
      try {
        for (let run = 0; run < o.runs; run++) {
          rows.push(await measureResponsiveness({ settings: s, engine: 'worker', coding: worker.coding, note, workDir }));
          rows.push(await measureResponsiveness({ settings: s, engine: 'in-process', coding: inProcess, note, workDir }));
        }
      } finally {
        await worker.close();
      }
      process.stdout.write(o.json ? JSON.stringify(rows, null, 2) + '\n' : `${table(rows)}\n`);
      exit(0);
    });
  bench
    .command('lsp-responsiveness')
    .option('--characters <n>', 'size of the note coded meanwhile', positive, 280_000)
    .option('--runs <n>', 'runs per engine placement (medians reported)', positive, 3)
    .option('--json', 'machine-readable report')
    .description(
      "a cheap request's latency in the language server (dist/server.js) while it codes one large note: engine in a worker thread vs on the server's thread",
    )
    .action(async (o: { characters: number; runs: number; json?: boolean }) => {
      const s = settings();
      const root = findProjectRoot();
      const cases = await readCodiesp(defaultCodiespDir(root), s.cacheDir, 'dev');
      const note = noteOfLength(cases, o.characters);
      const env = { ...process.env, CHARTCODER_CACHE_DIR: s.cacheDir };
      const rows = [];
      for (let run = 0; run < o.runs; run++) {
        rows.push(await measureLspResponsiveness({ projectRoot: root, engine: 'worker', note, env }));
        rows.push(await measureLspResponsiveness({ projectRoot: root, engine: 'in-process', note, env }));
      }
      process.stdout.write(o.json ? JSON.stringify(rows, null, 2) + '\n' : `${table(rows)}\n`);
      exit(0);
    });
  bench
    .command('embedded-libraries')
    .option('--queries <n>', 'CodiEsp dev sentences used as queries', positive, 200)
    .option('--data <folder>', 'folder holding codiesp_v4_train_dev.tar.gz')
    .description('MiniSearch vs Orama on the same BM25 job: build, persisted size, load, heap, query latency')
    .action(async (o: { queries: number; data?: string }) => {
      const s = settings();
      const root = findProjectRoot();
      const kb = await loadKnowledge(s, s.knowledge.fy, root, silentProgress);
      const rows = await compareEmbeddedLibraries(kb.docs, await benchQueries(s, root, o.data, o.queries));
      process.stdout.write(`${kb.docs.length} documents\n${table(rows)}\n`);
      exit(0);
    });
}
