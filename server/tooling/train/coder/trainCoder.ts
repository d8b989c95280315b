// `chartcoder train coder`: coded documents → evidence dictionary + Index/title statistics + a ranker per code
// system, cross-validated by document folds on the training documents only; written as a versioned artifact with
// its card. Deterministic: the same inputs give the same model and card hash.
import { createHash } from 'node:crypto';
import { loadSystem, candidatesOfNote } from '../../../engine/coder/codeNote';
import type { CoderKnowledge } from '../../../engine/coder/knowledgeEntries';
import { FEATURES } from '../../../engine/coder/features';
import type { CoderModel, CoderSystem, SystemModel } from '../../../engine/coder/model';
import { calibrate, type RankerModel } from '../../../engine/coder/ranker';
import type { CodeBook } from '../../../engine/suggest/codeBook';
import { ChartcoderError } from '../../../engine/errors';
import type { Progress } from '../../../indexing/progress';
import { runJsonScript } from '../python';
import { chooseThreshold } from './chooseThreshold';
import { rankedRecall } from './rankedRecall';
import { learnStatistics, type PreparedDocument, type Statistics } from './learnStatistics';

export const FOLDS = 5;

export const foldOf = (id: string): number => createHash('sha256').update(id).digest().readUInt32BE(0) % FOLDS;

export type RankerRun = (input: {
  features: readonly string[];
  rows: number[][];
  labels: number[];
  folds: number[];
  goldTotal: number;
  neighbours: { scores: number[]; labels: number[] };
}) => Promise<RankerModel & { cv: Record<string, number>; oof: number[] }>;

export interface SystemTraining {
  readonly system: CoderSystem;
  readonly knowledge: CoderKnowledge;
}

export interface TrainOptions {
  readonly documents: readonly PreparedDocument[];
  readonly systems: readonly SystemTraining[];
  readonly book: CodeBook;
  readonly rank: RankerRun;
  readonly progress: Progress;
}

const NO_RANKER: RankerModel = { features: FEATURES, trees: [], calibration: { x: [], y: [] }, threshold: 1 };

/** Feature rows of `docs` under statistics learned without them. */
function rowsFor(docs: readonly PreparedDocument[], statistics: Statistics, training: SystemTraining, book: CodeBook, trainingDocuments: number) {
  const catalog = book.catalog(training.system);
  const loaded = loadSystem({ ...statistics, ranker: NO_RANKER }, training.knowledge, trainingDocuments, (code) => catalog.lookup(code)?.billable ?? false);
  const rows: { doc: string; code: string; features: number[]; label: number }[] = [];
  const neighbours: { doc: string; score: number; label: number }[] = [];
  for (const { doc, note } of docs) {
    const found = candidatesOfNote(note, loaded);
    for (const c of found.candidates) rows.push({ doc: doc.id, code: c.code, features: c.features, label: doc.gold[training.system].has(c.code) ? 1 : 0 });
    for (const n of found.neighbourOnly) neighbours.push({ doc: doc.id, score: n.score, label: doc.gold[training.system].has(n.code) ? 1 : 0 });
  }
  return { rows, neighbours };
}

/** Per training document, each candidate code's out-of-fold probability: what the judge's blend is fitted on. */
export type OutOfFold = Record<string, Record<string, number>>;

export interface TrainedSystem {
  readonly model: SystemModel;
  readonly cv: Record<string, number>;
  readonly outOfFold: OutOfFold;
}

async function trainSystem(options: TrainOptions, training: SystemTraining): Promise<TrainedSystem> {
  const { documents, progress } = options;
  const rows: number[][] = [];
  const labels: number[] = [];
  const folds: number[] = [];
  const keys: { doc: string; code: string }[] = [];
  const neighbours: { doc: string; score: number; label: number }[] = [];
  progress.start(`${training.system}: cross-validated features`, FOLDS + 1);
  for (let k = 0; k < FOLDS; k++) {
    const inside = documents.filter((d) => foldOf(d.doc.id) !== k);
    const held = documents.filter((d) => foldOf(d.doc.id) === k);
    const statistics = learnStatistics(inside, training.system, training.knowledge);
    const heldOut = rowsFor(held, statistics, training, options.book, inside.length);
    for (const row of heldOut.rows) {
      rows.push(row.features);
      labels.push(row.label);
      folds.push(k);
      keys.push({ doc: row.doc, code: row.code });
    }
    neighbours.push(...heldOut.neighbours);
    progress.update(k + 1);
  }
  const statistics = learnStatistics(documents, training.system, training.knowledge);
  progress.update(FOLDS + 1);
  progress.stop();
  const goldTotal = documents.reduce((n, d) => n + d.doc.gold[training.system].size, 0);
  if (!rows.length || !labels.some((l) => l === 1))
    throw new ChartcoderError('bad-input', `${training.system}: no candidate matched a gold code in the training documents; nothing to learn from`);
  const { cv, oof, ...ranker } = await options.rank({
    features: FEATURES,
    rows,
    labels,
    folds,
    goldTotal,
    neighbours: { scores: neighbours.map((n) => n.score), labels: neighbours.map((n) => n.label) },
  });
  const outOfFold = keys.map((key, i) => ({ ...key, probability: oof[i]!, gold: labels[i] === 1 }));
  const choice = chooseThreshold(outOfFold, goldTotal, training.system, options.book);
  const ranked = [
    ...outOfFold,
    ...neighbours.map((n) => ({
      doc: n.doc,
      probability: ranker.neighbourCalibration ? calibrate(ranker.neighbourCalibration, n.score) : 0,
      gold: n.label === 1,
    })),
  ];
  const byDocument: OutOfFold = {};
  for (const row of outOfFold) {
    const codes = byDocument[row.doc] ?? {};
    codes[row.code] = Number(row.probability.toFixed(6));
    byDocument[row.doc] = codes;
  }
  return {
    outOfFold: byDocument,
    model: { ...statistics, ranker: { ...ranker, threshold: choice.threshold } },
    cv: {
      ...cv,
      recallAt100: rankedRecall(ranked, goldTotal, 100),
      threshold: choice.threshold,
      microF1: choice.microF1,
      precision: choice.precision,
      recall: choice.recall,
      overCoding: choice.overCoding,
    },
  };
}

export interface TrainedCoder {
  readonly model: CoderModel;
  readonly cv: Partial<Record<CoderSystem, Record<string, number>>>;
  readonly counts: Partial<Record<CoderSystem, { evidenceEntries: number; knowledgeEntriesSeen: number; stoplist: number; codes: number }>>;
  readonly outOfFold: Partial<Record<CoderSystem, OutOfFold>>;
}

export async function trainCoder(options: TrainOptions, name: string): Promise<TrainedCoder> {
  if (!options.documents.length) throw new ChartcoderError('bad-input', 'the training corpus is empty: no coded documents to learn from');
  const systems: Partial<Record<CoderSystem, SystemModel>> = {};
  const cv: TrainedCoder['cv'] = {};
  const counts: TrainedCoder['counts'] = {};
  const outOfFold: TrainedCoder['outOfFold'] = {};
  for (const training of options.systems) {
    const trained = await trainSystem(options, training);
    systems[training.system] = trained.model;
    cv[training.system] = trained.cv;
    outOfFold[training.system] = trained.outOfFold;
    counts[training.system] = {
      evidenceEntries: trained.model.evidence.length,
      knowledgeEntriesSeen: Object.keys(trained.model.knowledgeStats).length,
      stoplist: trained.model.stoplist.length,
      codes: Object.keys(trained.model.codes).length,
    };
  }
  const body = JSON.stringify({ documents: options.documents.length, systems });
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { model: { version: `${name}+${hash}`, documents: options.documents.length, systems }, cv, counts, outOfFold };
}

/** The Python ranker (training/train_ranker.py) over a temporary JSON file; nothing but features passes. */
export function pythonRanker(run: (inPath: string, outPath: string) => Promise<unknown>): RankerRun {
  return (input) => runJsonScript<RankerModel & { cv: Record<string, number>; oof: number[] }>(run, input);
}
