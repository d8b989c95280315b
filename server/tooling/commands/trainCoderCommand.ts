// `chartcoder train coder`: the learned coding model (evidence dictionary + Index/title statistics + ranker) from
// CodiEsp (train, or train + dev for the model users get), written with its card under training/models/<name>/.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { detectSections } from '../../engine/text/sections';
import { splitSentences } from '../../engine/text/sentences';
import type { CoderSystem } from '../../engine/coder/model';
import { defaultCodiespDir } from '../evaluate/codiesp';
import { consoleProgress } from '../../indexing/progress';
import { readCodeBook } from '../../indexing/codeBookFile';
import { NO_KNOWLEDGE } from '../../engine/coder/knowledgeEntries';
import { readReleaseFor, fileOf } from '../../knowledge/release';
import type { ChartcoderSettings } from '../../protocol';
import { findProjectRoot } from '../../app/projectRoot';
import { CODIESP_CITATION, codingModelDir, DEFAULT_CODING_MODEL, writeCodingModel, writeOutOfFold } from '../../app/codingModels';
import { readCodiespCorpus } from '../train/coder/codedCorpus';
import { releaseKnowledge } from '../../app/coderKnowledge';
import { prepare } from '../train/coder/learnStatistics';
import { pythonRanker, trainCoder } from '../train/coder/trainCoder';
import { rankerPython, runTrainingScript } from '../train/python';
import { positive } from './optionParsers';
import { openDecisionLog } from '../../adapters/stores/decisionLog';
import { readEncounter } from '../../app/readEncounter';
import { ChartcoderError } from '../../engine/errors';
import { readGoldBundle } from '../evaluate/goldBundle';
import { fhirBaseUrl } from '../../app/health';
import { openSuggester } from '../../app/openSuggester';
import type { TrainingDocument } from '../train/coder/codedCorpus';
import { codedDocument, decisionDocuments } from '../train/coder/decisionDocuments';

interface CoderFlags {
  splits: string;
  name?: string;
  codiesp?: string | false;
  limit?: number;
  bundle?: string[];
  decisions?: string | true;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Encounters a hospital coded: FHIR gold bundles and the decision log, each coded again for its evidence. */
async function taughtDocuments(settings: ChartcoderSettings, root: string, flags: CoderFlags): Promise<TrainingDocument[]> {
  if (!flags.bundle?.length && !flags.decisions) return [];
  const suggester = await openSuggester(settings, { projectRoot: root });
  const out: TrainingDocument[] = [];
  for (const file of flags.bundle ?? []) {
    for (const c of readGoldBundle(file))
      out.push(
        await codedDocument(
          `bundle:${c.id}`,
          c.view,
          [...c.diagnoses].map((code) => ({ code, suggestionId: `icd10cm|${code}` })),
          suggester,
        ),
      );
  }
  if (flags.decisions) {
    const log = flags.decisions === true ? join(settings.cacheDir, 'decisions', 'decisions.jsonl') : flags.decisions;
    if (!existsSync(log)) throw new ChartcoderError('bad-input', `${log}: no decision log there`);
    const decisions = openDecisionLog(log);
    try {
      const found = await decisionDocuments({ decisions, suggester, fhirBaseUrl: fhirBaseUrl(settings), read: (input) => readEncounter(settings, input) });
      for (const { subject, reason } of found.skipped) process.stderr.write(`[chartcoder] decisions on ${subject} skipped: ${reason}\n`);
      out.push(...found.documents);
    } finally {
      decisions.close();
    }
  }
  return out;
}

export async function trainCoderCommand(settings: ChartcoderSettings, flags: CoderFlags): Promise<number> {
  const started = Date.now();
  const root = findProjectRoot();
  const splits = flags.splits
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const name = flags.name ?? (splits.includes('dev') ? DEFAULT_CODING_MODEL : `${DEFAULT_CODING_MODEL}-${splits.join('-')}`);
  const dataDir = typeof flags.codiesp === 'string' ? flags.codiesp : defaultCodiespDir(root);
  const progress = consoleProgress();
  const say = (line: string) => process.stderr.write(`[chartcoder] ${line} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  const { book, knowledgeVersion } = readCodeBook(settings, settings.knowledge.fy);
  const release = readReleaseFor({ fy: settings.knowledge.fy, projectRoot: root, cacheDir: settings.cacheDir });
  const knowledge = releaseKnowledge(book, release);
  say(`code-set dictionary (Index, External Cause Index, Table of Neoplasms, titles): ${knowledge.entries.length} entries`);
  const corpus =
    flags.codiesp === false
      ? { documents: [], problems: [], spans: { total: 0, projected: 0 } }
      : await readCodiespCorpus(dataDir, settings.cacheDir, splits, book, flags.limit);
  for (const p of corpus.problems.slice(0, 20)) process.stderr.write(`  skipped ${p.file}:${p.line}: ${p.reason}\n`);
  if (corpus.problems.length > 20) process.stderr.write(`  … and ${corpus.problems.length - 20} more skipped rows\n`);
  if (flags.codiesp !== false)
    say(
      `CodiEsp ${splits.join(' + ')}: ${corpus.documents.length} documents; ${corpus.spans.projected} of ` +
        `${corpus.spans.total} evidence spans projected onto the English text; ${corpus.problems.length} rows skipped`,
    );
  const taught = await taughtDocuments(settings, root, flags);
  if (taught.length) say(`coders' decisions and gold bundles: ${taught.length} encounters`);
  const documents = [...corpus.documents, ...taught].map((doc) =>
    prepare(doc, { text: doc.text, sentences: splitSentences(doc.text), sections: detectSections(doc.text) }),
  );
  const python = await rankerPython(settings);
  const rank = pythonRanker((inPath, outPath) => runTrainingScript(python, root, 'train_ranker.py', [inPath, outPath]));
  const systems: CoderSystem[] = ['icd10cm', 'icd10pcs'];
  const trained = await trainCoder(
    { documents, book, rank, progress, systems: systems.map((system) => ({ system, knowledge: system === 'icd10cm' ? knowledge : NO_KNOWLEDGE })) },
    name,
  );
  const dir = codingModelDir(root, name);
  mkdirSync(dir, { recursive: true });
  const indexFile = release.manifest.icd10cm.index ? fileOf(release.manifest.icd10cm.index) : undefined;
  const sourceFiles = [
    ...splits.flatMap((split) => ['D', 'P', 'X'].map((kind) => ({ name: `CodiEsp ${split}${kind}`, file: join(dataDir, `${split}${kind}.tsv`) }))),
    { name: 'CodiEsp v4 texts', file: join(dataDir, 'codiesp_v4_train_dev.tar.gz') },
    ...(indexFile ? [{ name: 'ICD-10-CM Alphabetic Index', file: release.resolve(indexFile) }] : []),
  ].filter((s) => existsSync(s.file));
  const card = writeCodingModel(
    dir,
    trained.model,
    {
      schemaVersion: 1,
      name,
      version: trained.model.version,
      sources: sourceFiles.map((s) => ({ name: s.name, file: s.file.slice(s.file.lastIndexOf('/data/') + 1), sha256: sha256(readFileSync(s.file)) })),
      knowledgeVersion,
      documents: documents.map((d) => d.doc.id).sort(),
      counts: {
        documents: documents.length,
        spans: corpus.spans,
        problems: corpus.problems.length,
        knowledgeEntries: knowledge.entries.length,
        ...trained.counts,
      },
      crossValidation: trained.cv,
      thresholds: Object.fromEntries(Object.entries(trained.model.systems).map(([system, m]) => [system, m.ranker.threshold])),
      problems: corpus.problems.slice(0, 200),
      citation: CODIESP_CITATION,
    },
    sha256,
  );
  writeOutOfFold(dir, card.version, trained.outOfFold);
  say(`${card.version} written to ${dir} (card hash ${sha256(readFileSync(join(dir, 'card.json'))).slice(0, 12)})`);
  return 0;
}

export function registerTrainCoder(train: Command, settings: () => ChartcoderSettings, exit: (code: number) => void): void {
  train
    .command('coder')
    .option('--splits <splits>', 'CodiEsp splits to learn from: train (for evaluation on dev) or train,dev (the model users get)', 'train')
    .option('--name <name>', `model folder under training/models (default ${DEFAULT_CODING_MODEL} for train,dev; ${DEFAULT_CODING_MODEL}-train for train)`)
    .option('--codiesp <dir>', 'CodiEsp v4 folder (default ../shared/data/codiesp)')
    .option('--no-codiesp', 'leave CodiEsp out: learn from --bundle and --decisions only')
    .option('--bundle <files...>', 'also learn from FHIR gold bundles (confirmed ICD-10-CM Conditions are the gold codes)')
    .option(
      '--decisions [log]',
      "also learn from coders' decisions: accepted or replacing codes with the evidence " +
        'of the suggestion decided on (default log: <cache>/decisions/decisions.jsonl)',
    )
    .option('--limit <n>', 'first n CodiEsp documents only', positive)
    .description('the learned coding model: evidence dictionary + Index/title statistics + cross-validated ranker, with its card')
    .action(async (o: CoderFlags) => exit(await trainCoderCommand(settings(), o)));
}
