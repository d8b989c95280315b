// A knowledge release: one fiscal year's set of official files, named by a manifest (data/fy2026.release.json,
// or one written by `chartcoder kb import`). Paths in the manifest are relative to the manifest's folder.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { ChartcoderError } from '../engine/errors';

const sourceFile = z.union([z.string(), z.object({ file: z.string(), release: z.string() }).strict()]);

const manifestSchema = z
  .object({
    fy: z.number().int().min(2015).max(2100),
    effective: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    icd10cm: z
      .object({
        order: z.string(),
        tabular: sourceFile.optional(),
        tabularFallback: sourceFile.optional(),
        index: sourceFile.optional(),
        neoplasm: sourceFile.optional(),
        drug: sourceFile.optional(),
        externalCause: sourceFile.optional(),
        guidelines: sourceFile.optional(),
        poaExempt: sourceFile.optional(),
      })
      .strict(),
    icd10pcs: z.object({ order: z.string(), index: sourceFile.optional() }).strict().optional(),
    hcpcs: z.object({ file: z.string(), release: z.string() }).strict().optional(),
  })
  .strict();

export type ReleaseManifest = z.infer<typeof manifestSchema>;
export type SourceFile = z.infer<typeof sourceFile>;

export interface KnowledgeRelease {
  readonly manifest: ReleaseManifest;
  readonly manifestPath: string;
  /** Absolute path of a file named in the manifest. */
  readonly resolve: (file: string) => string;
}

export const fileOf = (source: SourceFile): string => (typeof source === 'string' ? source : source.file);
export const releaseOf = (source: SourceFile, fy: number): string => (typeof source === 'string' ? `FY${fy}` : source.release);

export function releaseManifestPath(options: { fy: number; projectRoot: string; cacheDir: string }): string {
  const imported = join(options.cacheDir, 'kb', `fy${options.fy}`, 'release.json');
  if (existsSync(imported)) return imported;
  return join(options.projectRoot, 'data', `fy${options.fy}.release.json`);
}

/** The release a fiscal year resolves to: an imported one under the cache, else the bundled manifest. */
export const readReleaseFor = (options: { fy: number; projectRoot: string; cacheDir: string }): KnowledgeRelease => readRelease(releaseManifestPath(options));

export function readRelease(manifestPath: string): KnowledgeRelease {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (err) {
    throw new ChartcoderError(
      'data-unreadable',
      `no readable knowledge release at ${manifestPath} (import one with: chartcoder kb import <folder> --fy <year>)`,
      { cause: err },
    );
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ChartcoderError('data-unreadable', `${manifestPath}: ${issue?.path.join('.') || 'manifest'}: ${issue?.message}`);
  }
  const base = dirname(manifestPath);
  return { manifest: parsed.data, manifestPath, resolve: (file) => resolve(base, file) };
}
