// The audit trail: an AuditEvent for every access to PHI and every decision, stored durably (fsync'd append log).
// Events name the client, the action, the encounter and the outcome — never note text.
import { randomUUID } from 'node:crypto';
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import type { AppendLog } from '../app/ports';
import { ChartcoderError } from '../engine/errors';
import type { HttpResponse } from './router';
import { EXTENSION_BASE } from './suggestionResources';

export interface AuditTrail {
  record(event: AuditEvent): AuditEvent;
  /** AuditEvents whose entity is the encounter (all when none given), oldest first, one page of a searchset Bundle
   * with its `next` link. */
  search(encounter: string | undefined, page?: { readonly count: number; readonly offset: number }): Bundle<AuditEvent>;
  find(predicate: (event: AuditEvent) => boolean): AuditEvent | undefined;
}

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 500;

export function auditTrail(log: AppendLog<AuditEvent>): AuditTrail {
  return {
    record: (event) => log.append({ ...event, id: event.id ?? randomUUID() }),
    search(encounter, page = { count: DEFAULT_PAGE, offset: 0 }) {
      const matches = log.records.filter(
        (e) => !encounter || e.entity?.some((x) => x.what?.reference === encounter || x.what?.reference === `Encounter/${encounter}`),
      );
      const url = (offset: number) =>
        `AuditEvent?${new URLSearchParams({ ...(encounter ? { encounter } : {}), _count: String(page.count), _offset: String(offset) })}`;
      const next = page.offset + page.count < matches.length ? [{ relation: 'next', url: url(page.offset + page.count) }] : [];
      return {
        resourceType: 'Bundle',
        type: 'searchset',
        total: matches.length,
        link: [{ relation: 'self', url: url(page.offset) }, ...next],
        entry: matches
          .slice(page.offset, page.offset + page.count)
          .map((resource) => ({ fullUrl: `AuditEvent/${resource.id}`, resource, search: { mode: 'match' } })),
      };
    },
    find: (predicate) => log.records.find(predicate),
  };
}

/** The extension that carries a client's X-Request-Id on the AuditEvent of the request. */
export const REQUEST_ID_URL = `${EXTENSION_BASE}/request-id`;

export interface AccessInfo {
  readonly client: string;
  /** FHIR AuditEvent action: C create, R read, U update, D delete, E execute. */
  readonly action: 'C' | 'R' | 'U' | 'D' | 'E';
  readonly what: string;
  readonly operation: string;
  readonly requestId?: string;
}

export function auditEvent(info: AccessInfo, outcome: '0' | '4' | '8', extra: Partial<AuditEvent> = {}): AuditEvent {
  return {
    resourceType: 'AuditEvent',
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'RESTful Operation' },
    subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: 'operation', display: info.operation }],
    action: info.action,
    recorded: new Date().toISOString(),
    outcome,
    agent: [{ who: { display: info.client }, requestor: true }],
    source: { observer: { display: 'Chartcoder' } },
    entity: [{ what: /^[A-Z][A-Za-z]+\//.test(info.what) ? { reference: info.what } : { display: info.what } }],
    ...(info.requestId ? { extension: [{ url: REQUEST_ID_URL, valueString: info.requestId }] } : {}),
    ...extra,
  };
}

/** Runs an access and records its AuditEvent, success or failure alike. When the audit store cannot be written (a
 * full or read-only disk) coding still answers, and says so in a Warning header and on stderr. */
/** Records an access; when the audit store cannot be written, says so on stderr and returns why instead of failing
 * the request. */
export function recordAccess(trail: AuditTrail, info: AccessInfo, outcome: '0' | '4' | '8', purpose?: string): string | undefined {
  try {
    trail.record(auditEvent(info, outcome, purpose ? { purposeOfEvent: [{ text: purpose }] } : {}));
    return undefined;
  } catch (err) {
    if (!(err instanceof ChartcoderError) || err.reason !== 'store-unavailable') throw err;
    process.stderr.write(`chartcoder: audit store unavailable, ${info.operation} by ${info.client} not audited: ${err.message}\n`);
    return err.message;
  }
}

export async function audited(trail: AuditTrail, info: AccessInfo, access: () => Promise<HttpResponse>): Promise<HttpResponse> {
  const record = (outcome: '0' | '4' | '8') => recordAccess(trail, info, outcome);
  let response: HttpResponse;
  try {
    response = await access();
  } catch (err) {
    record('8');
    throw err;
  }
  const unaudited = record(response.status < 400 ? '0' : response.status < 500 ? '4' : '8');
  return unaudited ? { ...response, headers: { ...response.headers, warning: `199 chartcoder "not audited: ${unaudited.replace(/"/g, "'")}"` } } : response;
}
