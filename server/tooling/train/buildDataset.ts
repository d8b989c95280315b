// `chartcoder train dataset`: labelled encounters (CodiEsp documents, FHIR gold bundles) → training examples made
// exactly as inference prompts are (same template, same retrieval), split deterministically by document (seeded
// hash), written as JSONL with a manifest of counts and content hashes. Every row is checked before it is written;
// a bad one is refused with its id.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processEncounter } from '../../engine/encounter/processEncounter';
import { checkExample, noExamples, trainingExamples, type ExampleCounts, type TrainingExample } from '../../engine/suggest/trainingExamples';
import { ChartcoderError } from '../../engine/errors';
import type { CodiespCase } from '../evaluate/codiesp';
import { evidenceLines, type EvidenceLines } from '../evaluate/codiespEvidence';
import { comparableCode, normalizeEachGold, type GoldFate } from '../evaluate/goldCodes';
import type { Progress } from '../../indexing/progress';
import { encounterOfNote, type EncounterView } from '../../../fhir';
import { PROMPT_TEMPLATE_HASH, type OpenedSuggester as Suggester } from '../../app/openSuggester';

/** One labelled encounter: its view, its gold diagnosis codes as the corpus writes them, and — when the corpus
 * locates evidence (CodiEsp-X) — which gold codes rest on which line. */
export interface DatasetCase {
  readonly id: string;
  readonly view: EncounterView;
  readonly diagnoses: ReadonlySet<string>;
  readonly evidenceLines?: EvidenceLines;
}

export const codiespDatasetCase = (c: CodiespCase): DatasetCase => {
  const lines = evidenceLines(c);
  return { id: c.id, view: encounterOfNote({ name: `codiesp:${c.id}`, text: c.text }), diagnoses: c.diagnoses, ...(lines ? { evidenceLines: lines } : {}) };
};

export interface DatasetOptions {
  readonly suggester: Suggester;
  readonly cases: readonly DatasetCase[];
  readonly outDir: string;
  readonly seed: number;
  /** Share of documents held out for validation. */
  readonly validationShare: number;
  readonly maxMentions?: number;
  readonly progress: Progress;
  readonly source: string;
}

export interface DatasetManifest<Counts extends object = ExampleCounts> {
  readonly source: string;
  readonly seed: number;
  readonly validationShare: number;
  readonly promptTemplateHash: string;
  readonly fy: number;
  readonly documents: { readonly train: number; readonly validation: number };
  readonly examples: { readonly train: number; readonly validation: number };
  readonly counts: Counts;
  /** How the gold codes were normalized to the fiscal year (absent where the gold is used as the corpus writes it). */
  readonly gold?: Record<GoldFate, number>;
  readonly files: Record<string, { readonly sha256: string; readonly rows: number }>;
  /** Hash of the manifest's content files and settings: names this dataset in model cards. */
  readonly contentHash: string;
}

/** Deterministic: the same seed and document id always land in the same split. */
export function isValidation(docId: string, seed: number, share: number): boolean {
  const h = createHash('sha256').update(`${seed}:${docId}`).digest().readUInt32BE(0);
  return h / 2 ** 32 < share;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export async function buildDataset(options: DatasetOptions): Promise<DatasetManifest> {
  const { suggester } = options;
  const counts = noExamples();
  const fates: Record<GoldFate, number> = { kept: 0, mapped: 0, 'not-in-fy': 0 };
  const rows: Record<'train' | 'validation', TrainingExample[]> = { train: [], validation: [] };
  const docs = { train: 0, validation: 0 };
  const comparable = (code: string) => comparableCode(code, suggester.book);
  options.progress.start('building training examples', options.cases.length);
  for (const [i, c] of options.cases.entries()) {
    const normalized = new Map([...normalizeEachGold(c.diagnoses, suggester.book, fates, [])].map(([raw, codes]) => [raw, codes.map(comparable)] as const));
    const gold = new Set([...normalized.values()].flat());
    const lines = c.evidenceLines;
    const goldAt = lines && ((offset: number) => new Set([...lines.codesAt(offset)].flatMap((raw) => normalized.get(raw) ?? [])));
    const encounter = processEncounter(c.view, suggester.parts.lexicon);
    const examples = await trainingExamples(
      encounter,
      { book: suggester.book, retriever: suggester.retriever },
      {
        docId: c.id,
        gold,
        comparable,
        ...(goldAt ? { goldAt } : {}),
        ...(options.maxMentions ? { maxMentions: options.maxMentions } : {}),
      },
      counts,
    );
    for (const example of examples) {
      const problem = checkExample(example, encounter.notes[c.view.notes.findIndex((n) => n.id === example.noteId)]?.text ?? '');
      if (problem) throw new ChartcoderError('data-unreadable', `refused training row ${problem}`);
    }
    const split = isValidation(c.id, options.seed, options.validationShare) ? 'validation' : 'train';
    docs[split]++;
    rows[split].push(...examples);
    options.progress.update(i + 1);
  }
  options.progress.stop();
  const settings = {
    source: options.source,
    seed: options.seed,
    validationShare: options.validationShare,
    promptTemplateHash: PROMPT_TEMPLATE_HASH,
    fy: suggester.fy,
  };
  return writeDataset(options.outDir, { settings, rows, documents: docs, counts: { ...counts }, gold: fates });
}

export interface DatasetContent<Counts extends object> {
  readonly settings: Pick<DatasetManifest, 'source' | 'seed' | 'validationShare' | 'promptTemplateHash' | 'fy'>;
  readonly rows: Readonly<Record<'train' | 'validation', readonly unknown[]>>;
  readonly documents: DatasetManifest['documents'];
  readonly counts: Counts;
  readonly gold?: DatasetManifest['gold'];
}

/** train.jsonl, validation.jsonl and manifest.json in `outDir`; the manifest names the content by its hash. */
export function writeDataset<Counts extends object>(outDir: string, content: DatasetContent<Counts>): DatasetManifest<Counts> {
  const { settings, rows } = content;
  mkdirSync(outDir, { recursive: true });
  const files: Record<string, { sha256: string; rows: number }> = {};
  for (const split of ['train', 'validation'] as const) {
    const text = rows[split].map((r) => JSON.stringify(r)).join('\n') + (rows[split].length ? '\n' : '');
    writeFileSync(join(outDir, `${split}.jsonl`), text);
    files[`${split}.jsonl`] = { sha256: sha256(text), rows: rows[split].length };
  }
  const manifest: DatasetManifest<Counts> = {
    ...settings,
    documents: content.documents,
    examples: { train: rows.train.length, validation: rows.validation.length },
    counts: content.counts,
    ...(content.gold ? { gold: content.gold } : {}),
    files,
    contentHash: sha256(JSON.stringify({ settings, files })),
  };
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}
