// Coding models on disk: training/models/<name>/model.json.gz (the artifact) and card.json (what it was trained on,
// how it scored in cross-validation, its version). The card's document ids let the evaluation refuse to score a
// model on documents it learned from.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import type { CoderModel } from '../engine/coder/model';
import { ChartcoderError } from '../engine/errors';

/** What users get: trained on CodiEsp train + dev. */
export const DEFAULT_CODING_MODEL = 'chartcoder-coding';
/** What `chartcoder eval --split dev` uses: trained on CodiEsp train only. */
export const TRAIN_ONLY_CODING_MODEL = 'chartcoder-coding-train';

export const codingCardSchema = z.object({
  schemaVersion: z.literal(1),
  name: z.string(),
  version: z.string(),
  artifact: z.object({ file: z.literal('model.json.gz'), sha256: z.string() }),
  sources: z.array(z.object({ name: z.string(), file: z.string(), sha256: z.string() })),
  knowledgeVersion: z.string(),
  documents: z.array(z.string()),
  counts: z.record(z.unknown()),
  crossValidation: z.record(z.unknown()),
  thresholds: z.record(z.number()),
  problems: z.array(z.object({ file: z.string(), line: z.number(), reason: z.string() })),
  citation: z.string(),
});

export type CodingCard = z.infer<typeof codingCardSchema>;

export const codingModelDir = (projectRoot: string, name: string): string => join(projectRoot, 'training', 'models', name);

export const CODIESP_CITATION =
  'Miranda-Escalada A, Gonzalez-Agirre A, Armengol-Estapé J, Krallinger M. Overview of automatic clinical coding: annotations, guidelines, and solutions for ' +
  'non-English clinical cases at CodiEsp track of CLEF eHealth 2020. CLEF 2020 Working Notes. CodiEsp corpus v4, Zenodo 10.5281/zenodo.3837305, CC BY 4.0.';

export function writeCodingModel(dir: string, model: CoderModel, card: Omit<CodingCard, 'artifact'>, sha256: (bytes: Buffer) => string): CodingCard {
  const bytes = gzipSync(Buffer.from(JSON.stringify(model)), { level: 9 });
  writeFileSync(join(dir, 'model.json.gz'), bytes);
  const full: CodingCard = codingCardSchema.parse({ ...card, artifact: { file: 'model.json.gz', sha256: sha256(bytes) } });
  writeFileSync(join(dir, 'card.json'), `${JSON.stringify(full, null, 2)}\n`);
  return full;
}

/** The out-of-fold probabilities of the training documents (`chartcoder train judge` fits on them). */
export function writeOutOfFold(dir: string, version: string, systems: Record<string, unknown>): void {
  writeFileSync(join(dir, 'out-of-fold.json.gz'), gzipSync(Buffer.from(JSON.stringify({ version, systems })), { level: 9 }));
}

export function readOutOfFold(dir: string, version: string): Partial<Record<string, Record<string, Record<string, number>>>> {
  const path = join(dir, 'out-of-fold.json.gz');
  if (!existsSync(path))
    throw new ChartcoderError('not-found', `${path} is missing: run chartcoder train coder again (it writes the out-of-fold probabilities)`);
  const read = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as {
    version: string;
    systems: Record<string, Record<string, Record<string, number>>>;
  };
  if (read.version !== version) throw new ChartcoderError('data-unreadable', `${path} is of ${read.version}, not ${version}: run chartcoder train coder again`);
  return read.systems;
}

export function readCodingCard(dir: string): CodingCard {
  const path = join(dir, 'card.json');
  if (!existsSync(path)) throw new ChartcoderError('not-found', `no coding model at ${dir}: run chartcoder train coder`);
  const parsed = codingCardSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success)
    throw new ChartcoderError(
      'data-unreadable',
      `${path} is not a coding model card: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

export function readCodingModel(dir: string): { model: CoderModel; card: CodingCard } {
  const card = readCodingCard(dir);
  const model = JSON.parse(gunzipSync(readFileSync(join(dir, 'model.json.gz'))).toString('utf8')) as CoderModel;
  if (model.version !== card.version)
    throw new ChartcoderError('data-unreadable', `${dir}: model.json.gz (${model.version}) does not match its card (${card.version})`);
  return { model, card };
}
