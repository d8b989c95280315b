// POST /fhir/$record-decision: a coder's accept / reject / replace, stored with the decisions the language server
// keeps and answered as an AuditEvent. Every field is checked before anything is stored: the subject is an Encounter
// reference, the suggestion a "<system>|<code>" id, a replacement a code of the fiscal year's code set. An
// X-Request-Id makes a retry return the stored event: the key is the client's own (another client's id is unknown to
// it), and a replay with another body is refused (422).
import { createHash } from 'node:crypto';
import type { AuditEvent, Parameters } from '@medplum/fhirtypes';
import type { CodeSystemKey } from '../engine/retrieve/knowledgeDoc';
import type { DecisionStore } from '../app/ports';
import { ChartcoderError } from '../engine/errors';
import type { DecisionAction } from '../protocol';
import { auditEvent, REQUEST_ID_URL, type AuditTrail } from './audit';
import { EXTENSION_BASE } from './suggestionResources';

export interface DecisionDeps {
  readonly decisions: DecisionStore;
  readonly audit: AuditTrail;
  /** Whether a code is a reportable code of the fiscal year's code set (a replacement must be one). */
  readonly isKnownCode: (system: CodeSystemKey, code: string) => Promise<boolean>;
}

/** The hash of the request a request id was first used with. */
export const REQUEST_HASH_URL = `${EXTENSION_BASE}/request-hash`;

const ACTIONS: readonly DecisionAction[] = ['accept', 'reject', 'replace'];
const SYSTEMS: readonly CodeSystemKey[] = ['icd10cm', 'icd10pcs', 'cpt', 'hcpcs'];
const SUBJECT = /^Encounter\/[A-Za-z0-9\-.]{1,64}$/;
const CODE = /^[A-Z0-9][A-Z0-9.-]{1,15}$/i;
const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;
const MAX_REASON = 2000;

const bad = (message: string) => new ChartcoderError('bad-input', message);

function requestHash(parameters: Parameters | undefined): string {
  const fields = (parameters?.parameter ?? [])
    .map((p) => [p.name, p.valueString ?? p.valueCode ?? null])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

function stringParameter(parameters: Parameters | undefined, name: string): string | undefined {
  const found = parameters?.parameter?.filter((p) => p.name === name) ?? [];
  if (found.length > 1) throw bad(`parameter "${name}" is given ${found.length} times`);
  const value = found[0]?.valueString ?? found[0]?.valueCode;
  if (found[0] && typeof value !== 'string') throw bad(`parameter "${name}" must be a valueString or valueCode`);
  return value;
}

interface CheckedDecision {
  subject: string;
  suggestionId: string;
  action: DecisionAction;
  replacement?: string;
  reason?: string;
}

async function checked(deps: DecisionDeps, parameters: Parameters | undefined): Promise<CheckedDecision> {
  const subject = stringParameter(parameters, 'subject');
  const suggestionId = stringParameter(parameters, 'suggestion');
  const action = stringParameter(parameters, 'action');
  if (!subject || !suggestionId || !action) throw bad('subject, suggestion and action are required');
  if (!SUBJECT.test(subject)) throw bad('subject must be a reference Encounter/<id>');
  if (!ACTIONS.includes(action as DecisionAction)) throw bad(`action must be one of ${ACTIONS.join(', ')}`);
  const [system, code, ...more] = suggestionId.split('|');
  if (more.length || !SYSTEMS.includes(system as CodeSystemKey) || !code || !CODE.test(code))
    throw bad(`suggestion must be "<system>|<code>" with a system among ${SYSTEMS.join(', ')}`);
  const replacement = stringParameter(parameters, 'replacement');
  if (action === 'replace' && !replacement) throw bad('replace needs a replacement code');
  if (replacement !== undefined && action !== 'replace') throw bad('a replacement is given only with action replace');
  if (replacement !== undefined && (!CODE.test(replacement) || !(await deps.isKnownCode(system as CodeSystemKey, replacement)))) {
    throw bad(`replacement ${JSON.stringify(replacement.slice(0, 20))} is not a reportable ${system} code of the fiscal year's code set`);
  }
  const reason = stringParameter(parameters, 'reason');
  if (reason !== undefined && reason.length > MAX_REASON) throw bad(`reason is over ${MAX_REASON} characters`);
  return {
    subject,
    suggestionId,
    action: action as DecisionAction,
    ...(replacement ? { replacement: replacement.toUpperCase() } : {}),
    ...(reason ? { reason } : {}),
  };
}

const extensionValue = (event: AuditEvent, url: string) => event.extension?.find((x) => x.url === url)?.valueString;

export async function recordDecisionOperation(
  deps: DecisionDeps,
  parameters: Parameters | undefined,
  client: string,
  requestId: string | undefined,
): Promise<AuditEvent> {
  if (requestId !== undefined && !REQUEST_ID.test(requestId)) throw bad('X-Request-Id must be 1–128 visible ASCII characters');
  const hash = requestHash(parameters);
  if (requestId) {
    const earlier = deps.audit.find((e) => extensionValue(e, REQUEST_ID_URL) === requestId && e.agent?.[0]?.who?.display === client);
    if (earlier) {
      if (extensionValue(earlier, REQUEST_HASH_URL) !== hash) throw new ChartcoderError('conflict', `X-Request-Id ${requestId} was used with another request`);
      return earlier;
    }
  }
  const d = await checked(deps, parameters);
  // A retry after a failure between the two writes finds its decision stored without its event: only the event is
  // written then, so the pair is whole and the decision is not stored twice.
  const stored = requestId
    ? [...deps.decisions.forSubject(d.subject).values()].find((x) => x.user === client && x.provenance['requestId'] === requestId)
    : undefined;
  const decision =
    stored ??
    deps.decisions.record({
      subject: d.subject,
      suggestionId: d.suggestionId,
      action: d.action,
      user: client,
      time: new Date().toISOString(),
      provenance: { via: 'fhir $record-decision', ...(requestId ? { requestId } : {}) },
      ...(d.replacement ? { replacementCode: d.replacement } : {}),
      ...(d.reason ? { reason: d.reason } : {}),
    });
  const event = auditEvent({ client, action: 'C', what: d.subject, operation: '$record-decision', ...(requestId ? { requestId } : {}) }, '0', {
    purposeOfEvent: [
      {
        text: `${decision.action} ${decision.suggestionId}${decision.replacementCode ? ` → ${decision.replacementCode}` : ''}${decision.reason ? ` (${decision.reason})` : ''}`,
      },
    ],
  });
  return deps.audit.record(requestId ? { ...event, extension: [...(event.extension ?? []), { url: REQUEST_HASH_URL, valueString: hash }] } : event);
}
