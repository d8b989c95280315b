// `chartcoder kb import <folder> --fy N`: reads a CMS/CDC release folder (the official file names and formats),
// stores its files gzip-compressed under the cache and writes a release manifest for FY N. Pieces the folder lacks
// are carried over from the bundled release, and the manifest says so.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ChartcoderError } from '../engine/errors';
import { fileOf, readRelease, releaseOf, type ReleaseManifest, type SourceFile } from './release';

type Piece = 'order' | 'tabular' | 'index' | 'neoplasm' | 'drug' | 'externalCause' | 'guidelines' | 'poaExempt' | 'pcsOrder' | 'pcsIndex' | 'hcpcs';

const PATTERNS: readonly (readonly [Piece, RegExp])[] = [
  ['order', /^icd10cm[-_ ]order[-_ ](\d{4})\.txt(\.gz)?$/i],
  ['pcsIndex', /^icd10pcs[-_ ]index.*\.xml(\.gz)?$/i],
  ['tabular', /tabular.*\.xml(\.gz)?$/i],
  ['neoplasm', /neoplasm.*\.xml(\.gz)?$/i],
  ['drug', /drug.*\.xml(\.gz)?$/i],
  ['externalCause', /eindex.*\.xml(\.gz)?$/i],
  ['index', /index.*\.(xml|csv)(\.gz)?$/i],
  ['guidelines', /guidelines.*\.pdf$/i],
  ['poaExempt', /^POAexemptCodes.*\.txt(\.gz)?$/i],
  ['pcsOrder', /^icd10pcs[-_ ]order[-_ ](\d{4})\.txt(\.gz)?$/i],
  ['hcpcs', /^HCPC.*ANWEB.*\.txt(\.gz)?$/i],
];

function recognise(folder: string): Map<Piece, string> {
  const found = new Map<Piece, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      const piece = PATTERNS.find(([, pattern]) => pattern.test(name))?.[0];
      if (piece && !found.has(piece)) found.set(piece, path);
    }
  };
  walk(folder);
  return found;
}

export interface ImportResult {
  readonly manifestPath: string;
  readonly imported: readonly string[];
  readonly carriedOver: readonly string[];
}

export function importRelease(options: { folder: string; fy: number; cacheDir: string; baseManifestPath: string }): ImportResult {
  const found = recognise(resolve(options.folder));
  if (!found.has('order')) throw new ChartcoderError('data-unreadable', `${options.folder} has no ICD-10-CM order file (icd10cm-order-YYYY.txt)`);
  const target = join(options.cacheDir, 'kb', `fy${options.fy}`);
  mkdirSync(target, { recursive: true });
  const store = (path: string): string => {
    const name = basename(path);
    if (name.endsWith('.gz') || name.endsWith('.pdf')) copyFileSync(path, join(target, name));
    else writeFileSync(join(target, `${name}.gz`), gzipSync(readFileSync(path), { level: 9 }));
    return name.endsWith('.gz') || name.endsWith('.pdf') ? name : `${name}.gz`;
  };
  const base = readRelease(options.baseManifestPath);
  const carried: string[] = [];
  const piece = (name: Piece, from: SourceFile | undefined): SourceFile | undefined => {
    const path = found.get(name);
    if (path) return { file: store(path), release: `FY${options.fy} (${basename(path)})` };
    if (!from) return undefined;
    carried.push(name);
    return { file: base.resolve(fileOf(from)), release: `${releaseOf(from, base.manifest.fy)} carried over` };
  };
  const cm = base.manifest.icd10cm;
  const pcs = found.get('pcsOrder');
  const hcpcs = piece('hcpcs', base.manifest.hcpcs);
  const pcsIndexSource = piece('pcsIndex', base.manifest.icd10pcs?.index);
  const pcsIndex = pcsIndexSource ? { index: pcsIndexSource } : {};
  const manifest: ReleaseManifest = {
    fy: options.fy,
    effective: `${options.fy - 1}-10-01`,
    icd10cm: {
      order: store(found.get('order')!),
      ...defined({
        tabular: piece('tabular', cm.tabular),
        index: piece('index', cm.index),
        neoplasm: piece('neoplasm', cm.neoplasm),
        drug: piece('drug', cm.drug),
        externalCause: piece('externalCause', cm.externalCause),
        guidelines: piece('guidelines', cm.guidelines),
        poaExempt: piece('poaExempt', cm.poaExempt),
      }),
    },
    ...(pcs
      ? { icd10pcs: { order: store(pcs), ...pcsIndex } }
      : base.manifest.icd10pcs
        ? { icd10pcs: { order: base.resolve(base.manifest.icd10pcs.order), ...pcsIndex } }
        : {}),
    ...(hcpcs ? { hcpcs: { file: fileOf(hcpcs), release: releaseOf(hcpcs, options.fy) } } : {}),
  };
  if (!pcs && base.manifest.icd10pcs) carried.push('pcsOrder');
  const manifestPath = join(target, 'release.json');
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  return { manifestPath, imported: [...found.keys()], carriedOver: carried };
}

const defined = <T extends Record<string, unknown>>(record: T): Partial<T> =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;
