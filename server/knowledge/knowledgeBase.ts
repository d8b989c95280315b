// Loads a knowledge release into documents, collecting every skipped row as a problem with file and line.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { withSystemUri, type DraftDoc, type KnowledgeDoc } from '../engine/retrieve/knowledgeDoc';
import { NORMALIZATION_FINGERPRINT } from '../engine/text/normalize';
import { parseCptFile } from './cpt';
import { splitGuidelineSections } from './guidelineSections';
import { parseHcpcs } from './hcpcs';
import { codeDocuments, indexDocuments, type TabularSource } from './icd10cmDocuments';
import { parseIndexCsv } from './indexCsv';
import { parseIndexXml } from './indexXml';
import type { LoadProblem } from './loadProblem';
import { parseOrderFile } from './orderFile';
import { cptDocuments, guidelineDocuments, hcpcsDocuments, pcsDocuments, pcsIndexDocuments } from './otherDocuments';
import { parsePcsIndex } from './pcsIndex';
import { readPdfPages } from './pdfPages';
import { parsePoaExempt } from './poaExempt';
import { readSourceBytes } from './readSource';
import { fileOf, releaseOf, type KnowledgeRelease, type SourceFile } from './release';
import { parseTabular, type TabularEntry } from './tabular';

/** Bump whenever a loader changes what documents contain: it is part of the knowledge version, so live indices rebuild. */
export const DOCUMENT_SCHEMA_VERSION = 4;

export interface KnowledgeBase {
  readonly fy: number;
  /** fy + content hash of every source file and the document schema: names the index built from it. */
  readonly version: string;
  readonly docs: KnowledgeDoc[];
  readonly problems: LoadProblem[];
  readonly counts: Record<string, number>;
}

export interface LoadOptions {
  readonly cptFile?: string;
  readonly onProgress?: (step: string) => void;
}

export async function loadKnowledgeBase(release: KnowledgeRelease, options: LoadOptions = {}): Promise<KnowledgeBase> {
  const { manifest } = release;
  const fy = manifest.fy;
  const problems: LoadProblem[] = [];
  const docs: KnowledgeDoc[] = [];
  const counts: Record<string, number> = {};
  const hash = createHash('sha256').update(`schema ${DOCUMENT_SCHEMA_VERSION}`).update(NORMALIZATION_FINGERPRINT);
  const text = (file: string, encoding: 'utf8' | 'latin1' = 'utf8') => {
    const bytes = readSourceBytes(release.resolve(file));
    hash.update(file).update(bytes);
    return bytes.toString(encoding);
  };
  const add = (name: string, loaded: { problems: LoadProblem[] }, made: DraftDoc[]) => {
    problems.push(...loaded.problems);
    for (const draft of made) docs.push(withSystemUri(draft));
    counts[name] = made.length;
    options.onProgress?.(`${name}: ${made.length} documents${loaded.problems.length ? `, ${loaded.problems.length} rows skipped` : ''}`);
  };
  const cm = manifest.icd10cm;

  const tabulars: TabularSource[] = [];
  const tabularSource = (source: SourceFile | undefined, fallback?: string) => {
    if (!source) return;
    const loaded = parseTabular(text(fileOf(source)), fileOf(source));
    problems.push(...loaded.problems);
    tabulars.push({ byCode: new Map(loaded.items.map((e: TabularEntry) => [e.code, e])), file: fileOf(source), ...(fallback ? { fallback } : {}) });
  };
  tabularSource(cm.tabular);
  tabularSource(cm.tabularFallback, cm.tabularFallback ? `${releaseOf(cm.tabularFallback, fy)} tabular notes` : undefined);
  const poa = cm.poaExempt ? parsePoaExempt(text(fileOf(cm.poaExempt)), fileOf(cm.poaExempt)) : { items: [], problems: [] };
  problems.push(...poa.problems);
  const order = parseOrderFile(text(cm.order, 'latin1'), cm.order, 'icd10cm');
  add('icd10cm codes', order, codeDocuments(fy, order.items, cm.order, tabulars, new Set(poa.items)));

  if (cm.index) {
    const file = fileOf(cm.index);
    const loaded = /\.csv(\.gz)?$/i.test(file) ? parseIndexCsv(text(file), file) : parseIndexXml(text(file), file);
    add(
      'icd10cm index',
      loaded,
      indexDocuments(loaded.items, { fy, kind: 'index', file, ...(releaseOf(cm.index, fy) !== `FY${fy}` ? { fallback: releaseOf(cm.index, fy) } : {}) }),
    );
  }
  for (const [name, kind, source] of [
    ['neoplasm table', 'neoplasm', cm.neoplasm],
    ['drug table', 'drug', cm.drug],
    ['external cause index', 'external-cause', cm.externalCause],
  ] as const) {
    if (!source) continue;
    const loaded = parseIndexXml(text(fileOf(source)), fileOf(source));
    add(name, loaded, indexDocuments(loaded.items, { fy, kind, file: fileOf(source) }));
  }
  if (cm.guidelines) {
    const file = fileOf(cm.guidelines);
    const bytes = readSourceBytes(release.resolve(file));
    hash.update(file).update(bytes);
    const sections = splitGuidelineSections(await readPdfPages(new Uint8Array(bytes)));
    add('guidelines', { problems: [] }, guidelineDocuments(fy, sections, file));
  }
  if (manifest.icd10pcs) {
    const loaded = parseOrderFile(text(manifest.icd10pcs.order, 'latin1'), manifest.icd10pcs.order, 'icd10pcs');
    add('icd10pcs codes', loaded, pcsDocuments(fy, loaded.items, manifest.icd10pcs.order));
    const index = manifest.icd10pcs.index;
    if (index) {
      const entries = parsePcsIndex(text(fileOf(index)), fileOf(index));
      add('icd10pcs index', entries, pcsIndexDocuments(fy, entries.items, fileOf(index), releaseOf(index, fy)));
    }
  }
  if (manifest.hcpcs) {
    const loaded = parseHcpcs(text(manifest.hcpcs.file, 'latin1'), manifest.hcpcs.file);
    add('hcpcs codes', loaded, hcpcsDocuments(fy, loaded.items, manifest.hcpcs.file, manifest.hcpcs.release));
  }
  if (options.cptFile) {
    const bytes = readFileSync(options.cptFile);
    hash.update('cpt').update(bytes);
    const name = relative(process.cwd(), options.cptFile);
    const loaded = parseCptFile(bytes.toString('utf8'), name);
    add('cpt codes (licensed file)', loaded, cptDocuments(fy, loaded.items, name));
  }
  return { fy, version: `fy${fy}-${hash.digest('hex').slice(0, 10)}`, docs, problems, counts };
}
