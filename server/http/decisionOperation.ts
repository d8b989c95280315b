// POST /fhir/$record-decision: a coder's accept / reject / replace, stored with the decisions the language server
// keeps and answered as an AuditEvent. A client-supplied X-Request-Id makes a retry return the stored event.
import type { AuditEvent, Parameters } from '@medplum/fhirtypes';
import type { DecisionStore } from '../adapters/stores/decisionLog';
import { ChartcoderError } from '../errors';
import type { DecisionAction } from '../protocol';
import { auditEvent, REQUEST_ID_URL, type AuditTrail } from './audit';

export interface DecisionDeps {
  readonly decisions: DecisionStore;
  readonly audit: AuditTrail;
}

const ACTIONS: readonly DecisionAction[] = ['accept', 'reject', 'replace'];

export function recordDecisionOperation(deps: DecisionDeps, parameters: Parameters | undefined, client: string, requestId: string | undefined): AuditEvent {
  if (requestId) {
    const earlier = deps.audit.find((e) => e.extension?.some((x) => x.url === REQUEST_ID_URL && x.valueString === requestId) === true);
    if (earlier) return earlier;
  }
  const value = (name: string) => parameters?.parameter?.find((p) => p.name === name);
  const text = (name: string) => value(name)?.valueString ?? value(name)?.valueCode;
  const subject = text('subject');
  const suggestionId = text('suggestion');
  const action = text('action') as DecisionAction | undefined;
  if (!subject || !suggestionId || !action) throw new ChartcoderError('bad-input', 'subject, suggestion and action are required');
  if (!ACTIONS.includes(action)) throw new ChartcoderError('bad-input', `action must be one of ${ACTIONS.join(', ')}`);
  const replacement = text('replacement');
  if (action === 'replace' && !replacement) throw new ChartcoderError('bad-input', 'replace needs a replacement code');
  const reason = text('reason');
  const decision = deps.decisions.record({
    subject, suggestionId, action, user: client, time: new Date().toISOString(), provenance: { via: 'fhir $record-decision' },
    ...(replacement ? { replacementCode: replacement } : {}), ...(reason ? { reason } : {}),
  });
  return deps.audit.record(auditEvent({ client, action: 'C', what: subject, operation: '$record-decision', ...(requestId ? { requestId } : {}) }, '0', {
    purposeOfEvent: [{ text: `${decision.action} ${decision.suggestionId}${decision.replacementCode ? ` → ${decision.replacementCode}` : ''}${decision.reason ? ` (${decision.reason})` : ''}` }],
  }));
}
