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
  | 'conflict';

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
