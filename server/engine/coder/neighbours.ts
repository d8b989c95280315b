// Document neighbours: the training documents most like this note (TF-IDF cosine over the matching terms) and the
// codes they were coded with. A code many close neighbours carry is a feature for the ranker, and a candidate of its
// own for the ranked list (without evidence in the note it is never suggested).
import type { NoteTerm } from './terms';

export interface NeighbourIndex {
  /** Inverse document frequency of each term over the training documents. */
  readonly idf: Readonly<Record<string, number>>;
  /** Per training document: its terms and unit-length TF-IDF weights, and its gold codes. */
  readonly docs: readonly { readonly t: readonly string[]; readonly w: readonly number[]; readonly c: readonly string[] }[];
}

export const NEIGHBOURS = 20;

function weights(terms: readonly string[], idf: Readonly<Record<string, number>>): Map<string, number> {
  const tf = new Map<string, number>();
  for (const t of terms) if (idf[t] !== undefined) tf.set(t, (tf.get(t) ?? 0) + 1);
  const out = new Map<string, number>();
  let norm = 0;
  for (const [t, n] of tf) {
    const w = (1 + Math.log(n)) * idf[t]!;
    out.set(t, w);
    norm += w * w;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [t, w] of out) out.set(t, w / norm);
  return out;
}

export function buildNeighbourIndex(docs: readonly { readonly terms: readonly string[]; readonly codes: readonly string[] }[]): NeighbourIndex {
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d.terms)) df.set(t, (df.get(t) ?? 0) + 1);
  const idf: Record<string, number> = {};
  for (const [t, n] of [...df].sort(([a], [b]) => a.localeCompare(b))) if (n >= 2) idf[t] = Number(Math.log(docs.length / n).toFixed(4));
  return {
    idf,
    docs: docs.map((d) => {
      const w = [...weights(d.terms, idf)].sort(([a], [b]) => a.localeCompare(b));
      return { t: w.map(([t]) => t), w: w.map(([, x]) => Number(x.toFixed(4))), c: [...d.codes].sort() };
    }),
  };
}

export interface NeighbourSearch {
  /** Per code: the similarity-weighted share of the nearest training documents coded with it. */
  scores(terms: readonly NoteTerm[]): Map<string, number>;
}

export function neighbourSearch(index: NeighbourIndex, k = NEIGHBOURS): NeighbourSearch {
  const postings = new Map<string, { doc: number; w: number }[]>();
  index.docs.forEach((d, doc) => {
    d.t.forEach((t, i) => {
      const list = postings.get(t) ?? [];
      list.push({ doc, w: d.w[i]! });
      postings.set(t, list);
    });
  });
  return {
    scores(terms) {
      const query = weights(
        terms.map((t) => t.term),
        index.idf,
      );
      const sims = new Float64Array(index.docs.length);
      for (const [t, w] of query) for (const p of postings.get(t) ?? []) sims[p.doc]! += w * p.w;
      const nearest = [...sims.keys()]
        .sort((a, b) => sims[b]! - sims[a]! || a - b)
        .slice(0, k)
        .filter((d) => sims[d]! > 0);
      const total = nearest.reduce((s, d) => s + sims[d]!, 0) || 1;
      const out = new Map<string, number>();
      for (const d of nearest) for (const c of index.docs[d]!.c) out.set(c, (out.get(c) ?? 0) + sims[d]! / total);
      return out;
    },
  };
}
