// Reciprocal rank fusion (Cormack, Clarke & Büttcher 2009): score = Σ 1 / (k + rank) over the legs that found a doc.
export const RRF_RANK_CONSTANT = 60;

export interface RankedId {
  readonly id: string;
  readonly score: number;
}

export interface Fused<L extends string> {
  readonly id: string;
  readonly fusedScore: number;
  readonly ranks: Partial<Record<L, number>>;
  readonly scores: Partial<Record<L, number>>;
}

export function reciprocalRankFusion<L extends string>(legs: Partial<Record<L, readonly RankedId[]>>, rankConstant = RRF_RANK_CONSTANT): Fused<L>[] {
  const fused = new Map<string, { fusedScore: number; ranks: Partial<Record<L, number>>; scores: Partial<Record<L, number>> }>();
  for (const [leg, hits] of Object.entries(legs) as [L, readonly RankedId[] | undefined][]) {
    (hits ?? []).forEach((hit, index) => {
      const entry = fused.get(hit.id) ?? { fusedScore: 0, ranks: {} as Partial<Record<L, number>>, scores: {} as Partial<Record<L, number>> };
      if (entry.ranks[leg] !== undefined) return;
      entry.ranks[leg] = index + 1;
      entry.scores[leg] = hit.score;
      entry.fusedScore += 1 / (rankConstant + index + 1);
      fused.set(hit.id, entry);
    });
  }
  return [...fused.entries()]
    .map(([id, entry]) => ({ id, ...entry }))
    .sort((a, b) => b.fusedScore - a.fusedScore || bestRank(a) - bestRank(b) || a.id.localeCompare(b.id));
}

const bestRank = (f: { ranks: Partial<Record<string, number>> }): number => Math.min(...Object.values(f.ranks).filter((r): r is number => r !== undefined));
