// Small measuring helpers for benchmarks (numbers reported, never asserted).
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const started = process.hrtime.bigint();
  const value = await fn();
  return { value, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

/** JS heap plus ArrayBuffers (typed arrays live outside the heap). Run node with --expose-gc for stable numbers. */
export const heapMb = (): number => {
  globalThis.gc?.();
  const usage = process.memoryUsage();
  return Math.round((usage.heapUsed + usage.arrayBuffers) / 1e6);
};

export const round = (n: number, digits = 1): number => Number(n.toFixed(digits));
