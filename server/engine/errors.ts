// Errors carry a reason (never a sentence to match on) and their cause; each boundary maps reasons once.
export type ErrorReason =
  | 'config-invalid'
  | 'config-unreadable'
  | 'service-unavailable'
  | 'provision-failed'
  | 'bad-input'
  | 'not-found'
  | 'unauthorized'
  | 'query-invalid'
  | 'index-missing'
  | 'data-unreadable'
  /** The request contradicts an earlier one (an idempotency key reused with another body). */
  | 'conflict'
  /** A model the request needs is not installed (e.g. the tuned model for ft / ft+rag). */
  | 'model-missing'
  /** A store cannot take a record (disk full, read-only, no permission): nothing was acknowledged. */
  | 'store-unavailable'
  /** Input over a configured size limit (the message names the limit and the setting). */
  | 'too-large';

export class ChartcoderError extends Error {
  constructor(readonly reason: ErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChartcoderError';
  }
}

export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
