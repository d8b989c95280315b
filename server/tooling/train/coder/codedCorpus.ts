// Coded charts for training, in one shape whatever their source: the note text, the gold codes per system and,
// where the source has them, evidence ranges in that text. CodiEsp's Spanish evidence is projected onto the English
// translation; a row that cannot be used (offsets outside the note, a code not in the code set) is reported with its
// file and line and skipped.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeBook } from '../../../engine/suggest/codeBook';
import type { CoderSystem } from '../../../engine/coder/model';
import { readCodiesp } from '../../evaluate/codiesp';
import { normalizeDiagnosisGold, type GoldFate } from '../../evaluate/goldCodes';
import type { LoadProblem } from '../../../knowledge/loadProblem';
import { trainProjector, type Projector } from './projectEvidence';

export interface EvidenceRange {
  readonly system: CoderSystem;
  readonly code: string;
  readonly start: number;
  readonly end: number;
}

export interface TrainingDocument {
  /** Unique across sources: "codiesp:<id>", "bundle:<id>", "decision:<subject>". */
  readonly id: string;
  readonly text: string;
  readonly gold: Readonly<Record<CoderSystem, ReadonlySet<string>>>;
  readonly evidence: readonly EvidenceRange[];
}

export interface CorpusReport {
  readonly documents: TrainingDocument[];
  readonly problems: LoadProblem[];
  readonly spans: { readonly total: number; readonly projected: number };
}

interface XRow {
  readonly line: number;
  readonly id: string;
  readonly system: CoderSystem;
  readonly code: string;
  readonly spans: [number, number][];
}

function readXRows(path: string, problems: LoadProblem[]): XRow[] {
  const rows: XRow[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (!text.trim()) return;
      const [id, kind, code, , ranges] = text.split('\t');
      const system = kind === 'DIAGNOSTICO' ? 'icd10cm' : kind === 'PROCEDIMIENTO' ? 'icd10pcs' : undefined;
      const spans = (ranges ?? '').split(';').map((r) => r.trim().split(/\s+/).map(Number) as [number, number]);
      if (!id || !system || !code || !spans.every(([a, b]) => Number.isInteger(a) && Number.isInteger(b) && a < b)) {
        problems.push({ file: path, line: i + 1, reason: 'expected id, DIAGNOSTICO|PROCEDIMIENTO, code, text, "start end[;start end]"' });
        return;
      }
      rows.push({ line: i + 1, id, system, code: code.toUpperCase(), spans });
    });
  return rows;
}

/** A PCS code or prefix as CodiEsp writes it, if some FY code starts with it. */
const knownPcs = (book: CodeBook, code: string): boolean =>
  book.catalog('icd10pcs').lookup(code) !== undefined || book.catalog('icd10pcs').billableUnder(code).length > 0;

function normalizeCode(book: CodeBook, system: CoderSystem, raw: string): string | undefined {
  if (system === 'icd10pcs') return knownPcs(book, raw) ? raw : undefined;
  const counts: Record<GoldFate, number> = { kept: 0, mapped: 0, 'not-in-fy': 0 };
  return [...normalizeDiagnosisGold([raw], book, counts, [])][0];
}

export async function readCodiespCorpus(dataDir: string, cacheDir: string, splits: readonly string[], book: CodeBook, limit?: number): Promise<CorpusReport> {
  const problems: LoadProblem[] = [];
  const cases = (await Promise.all(splits.map((split) => readCodiesp(dataDir, cacheDir, split)))).flat().slice(0, limit);
  const kept = new Set(cases.map((c) => c.id));
  const projector: Projector = trainProjector(cases.flatMap((c) => (c.spanish ? [{ id: c.id, spanish: c.spanish.text, english: c.text }] : [])));
  const xFile = (split: string) => [join(dataDir, split, `${split}X.tsv`), join(dataDir, `${split}X.tsv`)].find(existsSync);
  const rows = splits.flatMap((split) => {
    const file = xFile(split);
    return file ? readXRows(file, problems).map((r) => ({ ...r, file })) : [];
  });
  const byDoc = new Map<string, typeof rows>();
  for (const r of rows) if (kept.has(r.id)) byDoc.set(r.id, [...(byDoc.get(r.id) ?? []), r]);
  let total = 0;
  let projected = 0;
  const documents = cases.map((c) => {
    const evidence: EvidenceRange[] = [];
    for (const row of byDoc.get(c.id) ?? []) {
      total++;
      const code = normalizeCode(book, row.system, row.code);
      if (!code) {
        problems.push({
          file: row.file,
          line: row.line,
          reason: `${row.code} is not a FY${book.fy} ${row.system === 'icd10cm' ? 'ICD-10-CM' : 'ICD-10-PCS'} code`,
        });
        continue;
      }
      if (!c.spanish || row.spans.some(([, b]) => b > c.spanish!.text.length)) {
        problems.push({ file: row.file, line: row.line, reason: `offsets outside the note ${c.id}` });
        continue;
      }
      const range = projector.project(c.id, row.spans);
      if (!range) continue;
      projected++;
      evidence.push({ system: row.system, code, ...range });
    }
    const gold = (system: CoderSystem, codes: Iterable<string>) => new Set([...codes].flatMap((raw) => normalizeCode(book, system, raw) ?? []));
    return { id: `codiesp:${c.id}`, text: c.text, gold: { icd10cm: gold('icd10cm', c.diagnoses), icd10pcs: gold('icd10pcs', c.procedures) }, evidence };
  });
  return { documents, problems, spans: { total, projected } };
}
