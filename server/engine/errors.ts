// Errors carry a reason (never a sentence to match on) and their cause; each boundary maps reasons once.
/** Why something failed, as every boundary maps it (API status, editor error, CLI exit code): each has one table. */
export const ERROR_REASONS = [
  'config-invalid',
  'config-unreadable',
  'service-unavailable',
  'provision-failed',
  'bad-input',
  'not-found',
  'unauthorized',
  'query-invalid',
  'index-missing',
  'data-unreadable',
  'conflict',
  'model-missing',
  'store-unavailable',
  'too-large',
] as const;

export type ErrorReason = (typeof ERROR_REASONS)[number];

export class ChartcoderError extends Error {
  constructor(
    readonly reason: ErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ChartcoderError';
  }
}

export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
