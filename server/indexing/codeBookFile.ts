// The code book (every code document of one release) stored next to the indices, written by `index build` for
// either backend and read by the suggestion engine for verification and coding rules.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ChartcoderError } from '../engine/errors';
import type { KnowledgeDoc } from '../engine/retrieve/knowledgeDoc';
import { codeBookOf, type CodeBook } from '../engine/suggest/codeBook';
import type { ChartcoderSettings } from '../protocol';

interface CodeBookFile {
  readonly knowledgeVersion: string;
  readonly fy: number;
  /** Code documents without their search text (the title and notes are what rules read). */
  readonly docs: readonly KnowledgeDoc[];
}

export const codeBookPath = (settings: ChartcoderSettings, fy: number): string => join(settings.cacheDir, 'index', `codebook-fy${fy}.json`);

/** The version written at the start of the file, read without loading the ~100 MB rest. */
function versionOf(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(200);
    const n = readSync(fd, head, 0, head.length, 0);
    return /"knowledgeVersion":"([^"]+)"/.exec(head.subarray(0, n).toString('utf8'))?.[1];
  } finally {
    closeSync(fd);
  }
}

/** Writes the code book unless one of this knowledge version is already there; returns whether it wrote. */
export function ensureCodeBook(settings: ChartcoderSettings, fy: number, knowledgeVersion: string, docs: readonly KnowledgeDoc[]): boolean {
  const path = codeBookPath(settings, fy);
  if (versionOf(path) === knowledgeVersion) return false;
  mkdirSync(dirname(path), { recursive: true });
  const file: CodeBookFile = { knowledgeVersion, fy, docs: docs.filter((d) => d.kind === 'code').map((d) => ({ ...d, text: '' })) };
  writeFileSync(`${path}.tmp`, JSON.stringify(file));
  renameSync(`${path}.tmp`, path);
  return true;
}

export interface StoredCodeBook {
  readonly book: CodeBook;
  readonly knowledgeVersion: string;
}

export function readCodeBook(settings: ChartcoderSettings, fy: number): StoredCodeBook {
  const path = codeBookPath(settings, fy);
  if (!existsSync(path)) throw new ChartcoderError('index-missing', `no FY${fy} code book at ${path}: run chartcoder index build`);
  const file = JSON.parse(readFileSync(path, 'utf8')) as CodeBookFile;
  return { book: codeBookOf(file.fy, file.docs), knowledgeVersion: file.knowledgeVersion };
}
