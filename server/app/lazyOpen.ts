// An engine opened on first use and kept; a failed open is not kept: it is answered again (fast) for a short while,
// then retried, with the wait doubling up to a minute, so a service that comes up later (an index built, Elasticsearch
// started) is used without restarting Chartcoder, and a broken one is not hammered.
export type LazyOpen<T> = () => Promise<T>;

export function lazyOpen<T>(open: () => Promise<T>, options: { firstRetryMs?: number; maxRetryMs?: number; now?: () => number } = {}): LazyOpen<T> {
  const now = options.now ?? Date.now;
  const first = options.firstRetryMs ?? 1_000;
  const max = options.maxRetryMs ?? 60_000;
  let opened: Promise<T> | undefined;
  let failure: { error: unknown; retryAt: number; wait: number } | undefined;
  return () => {
    if (opened) return opened;
    if (failure && now() < failure.retryAt) return Promise.reject(failure.error);
    const attempt = open();
    opened = attempt;
    attempt.then(
      () => {
        failure = undefined;
      },
      (error: unknown) => {
        opened = undefined;
        const wait = failure ? Math.min(max, failure.wait * 2) : first;
        failure = { error, retryAt: now() + wait, wait };
      },
    );
    return attempt;
  };
}
