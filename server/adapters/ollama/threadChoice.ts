// Ollama's CPU threads for a run of calls (an index build's embeddings, the model calls of a language server or API
// process). ggml's threads meet at a barrier after every layer; beside another CPU-bound process one of them is
// often descheduled while the others spin, and a call takes up to 20× longer. Measured on 2 cores beside
// `stress-ng --cpu 2` (texts per second, 512-text embedding runs): Ollama's default, 2 threads, 4.5–107; one thread
// 83–99. Idle: 100 and 84. So a run keeps whichever is faster now and re-measures the other now and then, less
// often while it keeps losing; a machine that is busy when the run starts begins with one thread.
import { availableParallelism, loadavg } from 'node:os';

/** `undefined` is Ollama's own default (its count of physical cores). */
export type Threads = number | undefined;

export interface ThreadChoice {
  /** The threads for the next call; a probe measures the choice not in use, with a small batch. */
  next(): { readonly threads: Threads; readonly probe: boolean };
  /** `texts` done in `ms`; 0 for a call that failed or was given up (it counts as no speed at all). */
  record(threads: Threads, texts: number, ms: number): void;
  /** The choice in use, without probing (a probe now would cost more than it tells). */
  steady(): Threads;
  /** Texts per second as last smoothed, per choice, for the build's report. */
  rates(): ReadonlyMap<Threads, number>;
}

const FIRST_PROBE_AFTER = 8;
const LONGEST_PROBE_GAP = 64;
const SMOOTHING = 0.5;

/** `busy`: the machine is already loaded when the run starts, so one thread is tried first. */
export function createThreadChoice(cpus: number, busy = false): ThreadChoice {
  const choices: readonly Threads[] = cpus > 1 ? [undefined, 1] : [undefined];
  const rate = new Map<Threads, number>();
  let current = busy && choices.length > 1 ? 1 : 0;
  // Started busy, the default is not tried at once: under load one call with it can stall for a minute.
  let measuredBoth = busy;
  let sinceProbe = 0;
  let probeGap = FIRST_PROBE_AFTER;
  const other = () => (current + 1) % choices.length;
  const faster = (a: number, b: number) => (rate.get(choices[a]) ?? 0) > (rate.get(choices[b]) ?? 0);
  return {
    next() {
      if (choices.length === 1) return { threads: choices[0], probe: false };
      const unmeasured = !measuredBoth && rate.has(choices[current]) && !rate.has(choices[other()]);
      if (unmeasured || sinceProbe >= probeGap) return { threads: choices[other()], probe: true };
      return { threads: choices[current], probe: false };
    },
    record(threads, texts, ms) {
      const index = choices.indexOf(threads);
      if (index < 0) return;
      const measured = (texts * 1000) / Math.max(1, ms);
      const previous = rate.get(threads);
      // A probe's earlier measure is stale (the load may have gone), and a failed call is decisive; otherwise the
      // choice in use is smoothed over its calls.
      const probe = index !== current;
      rate.set(threads, previous === undefined || probe || measured === 0 ? measured : SMOOTHING * previous + (1 - SMOOTHING) * measured);
      if (choices.length === 1) return;
      if (probe) {
        sinceProbe = 0;
        measuredBoth = true;
        if (faster(index, current)) {
          current = index;
          probeGap = FIRST_PROBE_AFTER;
        } else {
          probeGap = Math.min(LONGEST_PROBE_GAP, probeGap * 2);
        }
        return;
      }
      sinceProbe++;
      if (rate.has(choices[other()]) && faster(other(), current)) {
        current = other();
        sinceProbe = 0;
      }
    },
    steady: () => choices[current],
    rates: () => rate,
  };
}

/** The choice is only made for an Ollama on this machine: a remote one (a GPU server) has its own cores, and a
 * switch reloads the model there for nothing. */
export function isLoopbackHost(host: string): boolean {
  try {
    const { hostname } = new URL(host);
    return hostname === 'localhost' || hostname === '[::1]' || /^127\./.test(hostname);
  } catch {
    return false;
  }
}

/** One-minute load average at or above the core count: other work already fills the machine. */
export const machineBusy = (loadAverage: number, cpus: number): boolean => loadAverage >= cpus;

/** A thread choice for this machine, starting from one thread when it is already busy. */
export function localThreadChoice(): ThreadChoice {
  const cpus = availableParallelism();
  return createThreadChoice(cpus, machineBusy(loadavg()[0] ?? 0, cpus));
}
