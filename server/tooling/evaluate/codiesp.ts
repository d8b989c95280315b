// CodiEsp v4 (Miranda-Escalada et al., CLEF eHealth 2020, CC BY 4.0): clinical cases with English machine
// translations (one sentence per line) and gold ICD-10 diagnosis codes. Extracted once into the cache.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extract } from 'tar';
import { ChartcoderError } from '../../engine/errors';
import { sentenceSpans } from './sentenceAlignment';

export interface CodiespCase {
  readonly id: string;
  /** The text evaluated: the English translation exactly as distributed (one sentence per line), or the Spanish. */
  readonly text: string;
  readonly sentences: readonly string[];
  /** Upper-case dotted ICD-10 diagnosis codes. */
  readonly diagnoses: ReadonlySet<string>;
  /** Upper-case ICD-10-PCS codes, often partial (a prefix such as "BT41"). */
  readonly procedures: ReadonlySet<string>;
  /** The Spanish original and CodiEsp-X's diagnosis evidence spans in it, when the split has them. */
  readonly spanish?: { readonly text: string; readonly evidence: readonly CodiespEvidence[] };
  readonly lang: CodiespLanguage;
}

/** A CodiEsp-X row: a gold code and the character ranges of its evidence in the Spanish text. */
export interface CodiespEvidence {
  readonly code: string;
  readonly spans: readonly (readonly [number, number])[];
}

const ARCHIVE = 'codiesp_v4_train_dev.tar.gz';

function readEvidence(path: string): Map<string, CodiespEvidence[]> {
  const evidence = new Map<string, CodiespEvidence[]>();
  if (!existsSync(path)) return evidence;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [id, kind, code, , ranges] = line.split('\t');
    if (!id || kind !== 'DIAGNOSTICO' || !code || !ranges) continue;
    const spans = ranges
      .split(';')
      .map((r) => r.trim().split(/\s+/).map(Number) as [number, number])
      .filter(([a, b]) => Number.isInteger(a) && Number.isInteger(b));
    const rows = evidence.get(id) ?? [];
    rows.push({ code: code.toUpperCase(), spans });
    evidence.set(id, rows);
  }
  return evidence;
}

/** Where the corpus sits when the project has ../shared/data beside it (CI and this workplace). */
export const defaultCodiespDir = (projectRoot: string): string => join(projectRoot, '..', 'shared', 'data', 'codiesp');
const ROOT_IN_ARCHIVE = 'final_dataset_v4_to_publish';

function readGold(path: string): Map<string, Set<string>> {
  const gold = new Map<string, Set<string>>();
  if (!existsSync(path)) return gold;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [id, code] = line.trim().split('\t');
    if (!id || !code) continue;
    const set = gold.get(id) ?? new Set<string>();
    set.add(code.toUpperCase());
    gold.set(id, set);
  }
  return gold;
}

/** The split's folder: `dataDir/<split>` when the corpus is already unpacked there (CodiEsp v4 layout), else the
 * archive in `dataDir`, unpacked once into the cache. */
async function splitFolder(dataDir: string, cacheDir: string, split: string): Promise<string> {
  if (existsSync(join(dataDir, split, `${split}D.tsv`))) return join(dataDir, split);
  const archive = join(dataDir, ARCHIVE);
  if (!existsSync(archive)) throw new ChartcoderError('data-unreadable', `CodiEsp not found: neither ${join(dataDir, split, `${split}D.tsv`)} nor ${archive}`);
  const target = join(cacheDir, 'codiesp');
  const splitDir = join(target, ROOT_IN_ARCHIVE, split);
  if (!existsSync(join(splitDir, `${split}D.tsv`))) {
    mkdirSync(target, { recursive: true });
    await extract({ file: archive, cwd: target });
  }
  if (!existsSync(join(splitDir, `${split}D.tsv`))) throw new ChartcoderError('data-unreadable', `${archive} has no split "${split}"`);
  return splitDir;
}

export type CodiespLanguage = 'en' | 'es';

/** `lang` es reads the Spanish originals as the text (CodiEsp-X spans then index it directly). */
export async function readCodiesp(dataDir: string, cacheDir: string, split: string, lang: CodiespLanguage = 'en'): Promise<CodiespCase[]> {
  const splitDir = await splitFolder(dataDir, cacheDir, split);
  const gold = readGold(join(splitDir, `${split}D.tsv`));
  const procedures = readGold(join(splitDir, `${split}P.tsv`));
  const evidence = readEvidence(join(splitDir, `${split}X.tsv`));
  const textDir = join(splitDir, 'text_files_en');
  const spanishDir = join(splitDir, 'text_files');
  return readdirSync(textDir)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .map((name) => {
      const id = name.replace(/\.txt$/, '');
      const spanishPath = join(spanishDir, name);
      const spanish = existsSync(spanishPath) ? { text: readFileSync(spanishPath, 'utf8'), evidence: evidence.get(id) ?? [] } : undefined;
      if (lang === 'es' && !spanish) throw new ChartcoderError('data-unreadable', `${spanishPath}: no Spanish original`);
      const text = lang === 'es' ? spanish!.text : readFileSync(join(textDir, name), 'utf8');
      const sentences = (lang === 'es' ? sentenceSpans(text).map((s) => text.slice(s.start, s.end)) : text.split('\n'))
        .map((s) => s.trim())
        .filter((s) => /[a-z]{3}/i.test(s));
      return {
        id,
        text,
        sentences,
        diagnoses: gold.get(id) ?? new Set<string>(),
        procedures: procedures.get(id) ?? new Set<string>(),
        lang,
        ...(spanish ? { spanish } : {}),
      };
    });
}
