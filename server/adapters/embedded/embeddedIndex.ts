// The embedded index (no JVM): Lucene-exact BM25 over our normalized terms (luceneBm25.ts), a flat Float32Array for
// exact cosine kNN, and the documents themselves — built once per knowledge version and persisted under the cache.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChartcoderError } from '../../engine/errors';
import type { IndexContent, SearchBackend } from '../../engine/ports';
import { matchesFilters } from '../../engine/retrieve/filters';
import type { KnowledgeDoc } from '../../engine/retrieve/knowledgeDoc';
import { normalizeClinicalText } from '../../engine/text/normalize';
import { bm25Searcher, buildBm25, type Bm25Data } from './luceneBm25';

export interface EmbeddedIndexMeta {
  readonly indexVersion: string;
  readonly knowledgeVersion: string;
  readonly embedModel?: string;
  readonly dims: number;
  readonly docs: number;
  readonly vectors: number;
  /** Documents that should have a vector (absent in an index built before it was recorded). */
  readonly expectedVectors?: number;
  readonly builtAt: string;
}

export interface EmbeddedBuildInput extends IndexContent {
  readonly dir: string;
}

export function buildEmbeddedIndex(input: EmbeddedBuildInput): EmbeddedIndexMeta {
  const lexical = buildBm25(input.docs.map((doc) => normalizeClinicalText(doc.text).tokens));
  const vectorDocs = input.docs
    .map((doc, n) => [n, input.vectors.get(doc.id)] as const)
    .filter((e): e is readonly [number, Float32Array] => e[1] !== undefined);
  const matrix = new Float32Array(vectorDocs.length * input.dims);
  vectorDocs.forEach(([, vector], row) => {
    matrix.set(vector, row * input.dims);
  });
  const meta: EmbeddedIndexMeta = {
    indexVersion: `${input.knowledgeVersion}${input.embedModel ? `+${input.embedModel}` : ''}`,
    knowledgeVersion: input.knowledgeVersion,
    ...(input.embedModel ? { embedModel: input.embedModel } : {}),
    dims: input.dims,
    docs: input.docs.length,
    vectors: vectorDocs.length,
    expectedVectors: input.expectedVectors,
    builtAt: new Date().toISOString(),
  };
  const staging = `${input.dir}.staging`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'docs.json'), JSON.stringify(input.docs));
  writeBm25(staging, lexical);
  writeFileSync(join(staging, 'vectors.bin'), Buffer.from(matrix.buffer));
  writeFileSync(join(staging, 'vectorRows.json'), JSON.stringify(vectorDocs.map(([n]) => n)));
  writeFileSync(join(staging, 'meta.json'), JSON.stringify(meta, null, 2));
  rmSync(input.dir, { recursive: true, force: true });
  renameSync(staging, input.dir); // a reader sees the old index or the new one, never half of one
  return meta;
}

export const readEmbeddedMeta = (dir: string): EmbeddedIndexMeta | undefined =>
  existsSync(join(dir, 'meta.json')) ? (JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as EmbeddedIndexMeta) : undefined;

export function openEmbeddedIndex(dir: string): SearchBackend & { readonly meta: EmbeddedIndexMeta } {
  const meta = readEmbeddedMeta(dir);
  if (!meta) throw new ChartcoderError('index-missing', `no embedded index at ${dir} (run: chartcoder index build --backend embedded)`);
  const docs = JSON.parse(readFileSync(join(dir, 'docs.json'), 'utf8')) as KnowledgeDoc[];
  const lexical = bm25Searcher(readBm25(dir));
  const bytes = readFileSync(join(dir, 'vectors.bin'));
  const matrix = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const rows = JSON.parse(readFileSync(join(dir, 'vectorRows.json'), 'utf8')) as number[];
  let byId: Map<string, KnowledgeDoc> | undefined;
  return {
    name: 'embedded',
    meta,
    indexVersion: async () => meta.indexVersion,
    vectorCoverage: async () => ({ vectors: meta.vectors, ...(meta.expectedVectors !== undefined ? { expected: meta.expectedVectors } : {}) }),
    async lexical(terms, filters, size) {
      return lexical.search(terms, size, (n) => matchesFilters(docs[n]!, filters)).map(({ doc, score }) => ({ doc: docs[doc]!, score }));
    },
    async vector(query, filters, size) {
      if (query.length !== meta.dims) throw new Error(`query vector has ${query.length} dimensions, the index ${meta.dims}`);
      return nearest(matrix, rows, meta.dims, Float32Array.from(query), size, (n) => matchesFilters(docs[n]!, filters)).map(({ n, score }) => ({
        doc: docs[n]!,
        score,
      }));
    },
    async document(id) {
      byId ??= new Map(docs.map((doc) => [doc.id, doc]));
      return byId.get(id);
    },
  };
}

const BM25_ARRAYS = ['offsets', 'postings', 'frequencies', 'norms'] as const;

export function writeBm25(dir: string, data: Bm25Data): void {
  writeFileSync(join(dir, 'bm25.json'), JSON.stringify({ terms: data.terms, totalTokens: data.totalTokens, documentsWithField: data.documentsWithField }));
  for (const name of BM25_ARRAYS) writeFileSync(join(dir, `bm25.${name}.bin`), Buffer.from(data[name].buffer, data[name].byteOffset, data[name].byteLength));
}

export function readBm25(dir: string): Bm25Data {
  const head = JSON.parse(readFileSync(join(dir, 'bm25.json'), 'utf8')) as Pick<Bm25Data, 'terms' | 'totalTokens' | 'documentsWithField'>;
  const bytes = (name: string) => {
    const b = readFileSync(join(dir, `bm25.${name}.bin`));
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  };
  return {
    ...head,
    offsets: new Int32Array(bytes('offsets')),
    postings: new Int32Array(bytes('postings')),
    frequencies: new Uint16Array(bytes('frequencies')),
    norms: new Uint8Array(bytes('norms')),
  };
}

/** Exact cosine kNN over unit vectors; scores as Elasticsearch reports cosine: (1 + cos) / 2. */
function nearest(
  matrix: Float32Array,
  rows: readonly number[],
  dims: number,
  query: Float32Array,
  size: number,
  keep: (n: number) => boolean,
): { n: number; score: number }[] {
  const norm = Math.hypot(...query) || 1;
  const top: { n: number; score: number }[] = [];
  for (let row = 0; row < rows.length; row++) {
    let dot = 0;
    const offset = row * dims;
    for (let d = 0; d < dims; d++) dot += matrix[offset + d]! * query[d]!;
    const score = (1 + dot / norm) / 2;
    if (top.length === size && score <= top[size - 1]!.score) continue;
    const n = rows[row]!;
    if (!keep(n)) continue;
    top.push({ n, score });
    top.sort((a, b) => b.score - a.score);
    if (top.length > size) top.pop();
  }
  return top;
}
