// The few platform globals the pure core may use: cancellation and timers, identical in Node and browsers.
// Declared here (rather than pulling in @types/node or the DOM lib) so fetch, fs and friends stay out of reach.
interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

declare class AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}

type TimerHandle = { readonly __timer: unique symbol } | number;
declare function setTimeout(callback: () => void, ms: number): TimerHandle;
declare function clearTimeout(handle: TimerHandle | undefined): void;
