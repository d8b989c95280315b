// OperationOutcome builders (Medplum's constants are the model): one per failure kind, with an HTTP status.
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

type IssueCode = OperationOutcomeIssue['code'];
type Severity = OperationOutcomeIssue['severity'];

export function outcome(severity: Severity, code: IssueCode, diagnostics: string, expression?: string[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, diagnostics, ...(expression ? { expression } : {}) }] };
}

export const allOk: OperationOutcome = {
  resourceType: 'OperationOutcome',
  id: 'allok',
  issue: [{ severity: 'information', code: 'informational', diagnostics: 'All OK' }],
};

export const badRequest = (why: string, expression?: string[]) => outcome('error', 'invalid', why, expression);
export const notFound = (what: string) => outcome('error', 'not-found', `${what} not found`);
export const unauthorized = (why: string) => outcome('error', 'login', why);
export const forbidden = (why: string) => outcome('error', 'forbidden', why);
export const unavailable = (why: string) => outcome('error', 'transient', why);

const STATUS_BY_CODE: Partial<Record<IssueCode, number>> = {
  invalid: 400,
  structure: 400,
  required: 400,
  value: 400,
  'not-found': 404,
  login: 401,
  forbidden: 403,
  security: 403,
  'too-costly': 413,
  conflict: 409,
  processing: 422,
  throttled: 429,
  transient: 503,
  timeout: 504,
  informational: 200,
};

/** HTTP status for an outcome: its first error issue decides, success otherwise. */
export function statusOf(o: OperationOutcome): number {
  const error = o.issue.find((i) => i.severity === 'error' || i.severity === 'fatal');
  return error ? (STATUS_BY_CODE[error.code] ?? 500) : 200;
}

export function isOperationOutcome(value: unknown): value is OperationOutcome {
  return typeof value === 'object' && value !== null && (value as { resourceType?: unknown }).resourceType === 'OperationOutcome';
}
