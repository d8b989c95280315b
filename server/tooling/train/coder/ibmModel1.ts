// IBM Model 1 (Brown et al. 1993): word translation probabilities t(target | source) learned by EM from sentence
// pairs, with a NULL source word. Small and exact for our size (thousands of sentence pairs); no maintained npm
// aligner exists, and fast_align / eflomal would mean a native build for a 30-line algorithm.
export type TranslationTable = ReadonlyMap<string, ReadonlyMap<string, number>>;

export const NULL_WORD = '<null>';

export function trainModel1(pairs: readonly (readonly [readonly string[], readonly string[]])[], iterations = 5): TranslationTable {
  const t = new Map<string, Map<string, number>>();
  for (const [source, target] of pairs) {
    for (const s of [NULL_WORD, ...source]) {
      const row = t.get(s) ?? new Map<string, number>();
      for (const w of target) row.set(w, 1);
      t.set(s, row);
    }
  }
  for (let it = 0; it < iterations; it++) {
    const counts = new Map<string, Map<string, number>>();
    const totals = new Map<string, number>();
    for (const [source, target] of pairs) {
      const sources = [NULL_WORD, ...source];
      for (const w of target) {
        let norm = 0;
        for (const s of sources) norm += t.get(s)!.get(w)!;
        for (const s of sources) {
          const c = t.get(s)!.get(w)! / norm;
          const row = counts.get(s) ?? new Map<string, number>();
          row.set(w, (row.get(w) ?? 0) + c);
          counts.set(s, row);
          totals.set(s, (totals.get(s) ?? 0) + c);
        }
      }
    }
    for (const [s, row] of counts) {
      const total = totals.get(s)!;
      const out = t.get(s)!;
      for (const [w, c] of row) out.set(w, c / total);
    }
  }
  return t;
}

export const probabilityOf = (table: TranslationTable, source: string, target: string): number => table.get(source)?.get(target) ?? 0;
