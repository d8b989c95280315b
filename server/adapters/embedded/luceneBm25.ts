// BM25 exactly as Lucene (and so Elasticsearch) scores a `match` query on one field, over an in-memory inverted
// index of typed arrays. Kept here rather than taken from MiniSearch or Orama because both score a different BM25
// (MiniSearch measures length in unique terms and multiplies by the number of matched terms; Orama uses normalized
// term frequencies), and the embedded index must rank like the cluster it stands in for.
// Lucene details reproduced: idf = ln(1 + (N − n + 0.5)/(n + 0.5)); the legacy (k1 + 1) factor ES keeps; document
// length stored as a one-byte norm (SmallFloat.intToByte4: exact below 24 tokens, 4-bit mantissa above); avgdl =
// total tokens / documents with the field; a repeated query token is a repeated clause.
export const K1 = 1.2;
export const B = 0.75;

const NUM_FREE_VALUES = 24; // 255 − longToInt4(Integer.MAX_VALUE)

function longToInt4(i: number): number {
  const numBits = 32 - Math.clz32(i);
  if (numBits < 4) return i;
  const shift = numBits - 4;
  return ((i >>> shift) & 0x07) | ((shift + 1) << 3);
}

function int4ToLong(i: number): number {
  const bits = i & 0x07;
  const shift = (i >>> 3) - 1;
  return shift < 0 ? bits : (bits | 0x08) * 2 ** shift;
}

export const lengthToNorm = (length: number): number => (length < NUM_FREE_VALUES ? length : NUM_FREE_VALUES + longToInt4(length - NUM_FREE_VALUES));
export const normToLength = (norm: number): number => (norm < NUM_FREE_VALUES ? norm : NUM_FREE_VALUES + int4ToLong(norm - NUM_FREE_VALUES));

export interface Bm25Data {
  readonly terms: string[];
  readonly offsets: Int32Array; // terms.length + 1
  readonly postings: Int32Array; // document numbers, ascending per term
  readonly frequencies: Uint16Array;
  readonly norms: Uint8Array; // per document
  readonly totalTokens: number;
  readonly documentsWithField: number;
}

export function buildBm25(documents: readonly (readonly string[])[]): Bm25Data {
  const byTerm = new Map<string, number[]>(); // flat pairs: doc, freq
  const norms = new Uint8Array(documents.length);
  let totalTokens = 0;
  let withField = 0;
  documents.forEach((tokens, doc) => {
    if (tokens.length === 0) return;
    withField++;
    totalTokens += tokens.length;
    norms[doc] = lengthToNorm(tokens.length);
    const counts = new Map<string, number>();
    for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    for (const [term, count] of counts) {
      const list = byTerm.get(term) ?? [];
      list.push(doc, Math.min(count, 65_535));
      byTerm.set(term, list);
    }
  });
  const terms = [...byTerm.keys()].sort();
  const offsets = new Int32Array(terms.length + 1);
  let size = 0;
  terms.forEach((term, i) => {
    offsets[i] = size;
    size += byTerm.get(term)!.length / 2;
  });
  offsets[terms.length] = size;
  const postings = new Int32Array(size);
  const frequencies = new Uint16Array(size);
  terms.forEach((term, i) => {
    const list = byTerm.get(term)!;
    for (let j = 0; j < list.length; j += 2) {
      postings[offsets[i]! + j / 2] = list[j]!;
      frequencies[offsets[i]! + j / 2] = list[j + 1]!;
    }
  });
  return { terms, offsets, postings, frequencies, norms, totalTokens, documentsWithField: withField };
}

export interface Bm25Searcher {
  /** Documents scoring above zero, best first, ties by document number (Lucene's order), up to `size` kept by `keep`. */
  search(tokens: readonly string[], size: number, keep: (doc: number) => boolean): { doc: number; score: number }[];
}

export function bm25Searcher(data: Bm25Data): Bm25Searcher {
  const termIndex = new Map(data.terms.map((term, i) => [term, i]));
  const avgdl = data.totalTokens / Math.max(1, data.documentsWithField);
  const lengthFactor = new Float64Array(256).map((_, norm) => K1 * (1 - B + (B * normToLength(norm)) / avgdl));
  const scores = new Float64Array(data.norms.length);
  return {
    search(tokens, size, keep) {
      const touched: number[] = [];
      for (const token of tokens) {
        const t = termIndex.get(token);
        if (t === undefined) continue;
        const start = data.offsets[t]!;
        const end = data.offsets[t + 1]!;
        const idf = Math.log(1 + (data.documentsWithField - (end - start) + 0.5) / (end - start + 0.5));
        const weight = idf * (K1 + 1);
        for (let p = start; p < end; p++) {
          const doc = data.postings[p]!;
          const freq = data.frequencies[p]!;
          if (scores[doc] === 0) touched.push(doc);
          scores[doc]! += (weight * freq) / (freq + lengthFactor[data.norms[doc]!]!);
        }
      }
      const ranked = touched.filter(keep).map((doc) => ({ doc, score: scores[doc]! }));
      for (const doc of touched) scores[doc] = 0;
      return ranked.sort((a, b) => b.score - a.score || a.doc - b.doc).slice(0, size);
    },
  };
}
