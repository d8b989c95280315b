// The integrator API as a function: a request object in, [status, resource] out — no node:http here (listen.ts
// binds it). FHIR operations for suggestions and decisions, every PHI access audited, errors as OperationOutcomes.
import type { Bundle, OperationOutcome, Parameters, Resource } from '@medplum/fhirtypes';
import { assembleEncounter, badRequest, forbidden, isBundle, notFound, outcome, statusOf, type EncounterView } from '../../fhir';
import { ChartcoderError, describeError, type ErrorReason } from '../engine/errors';
import { finalResult } from '../engine/suggest/suggestEncounter';
import { SUGGEST_MODES, type SuggestMode, type SuggestResult } from '../engine/suggest/suggestion';
import type { ChartcoderSettings } from '../protocol';
import type { CodingService } from '../app/ports';
import { audited, DEFAULT_PAGE, MAX_PAGE, recordAccess, type AuditTrail } from './audit';
import { authenticator } from './auth';
import { capabilityStatement } from './capabilityStatement';
import { cardsOf, discovery, parseHookRequest, SERVICE_ID, storeFeedback, viewFromPrefetch, type CardRecord } from './cdsHooks';
import { recordDecisionOperation, type DecisionDeps } from './decisionOperation';
import { assertValidResource, InvalidInput } from './inboundResources';
import { rateLimiter } from './rateLimit';
import { suggestParameters } from './suggestionResources';
import { finalCodes } from '../engine/suggest/finalCodes';
import { writeBackTransaction } from './writeBack';

export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Parsed JSON body, when the caller already has it (tests, benches). */
  readonly body?: unknown;
  /** Reads and parses the body (listen.ts): called only after the caller is authenticated; throws BodyError. */
  readonly readBody?: (limit?: number) => Promise<unknown>;
  /** The peer's address, for throttling failed logins. */
  readonly remote?: string;
}

/** A body that cannot be taken: too large (413), cut off or not JSON (400); or a request line that is not HTTP. */
export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }

  response(): HttpResponse {
    return { status: this.status, body: outcome('error', this.status === 413 ? 'too-costly' : 'invalid', this.message) };
  }
}

export interface HttpResponse {
  readonly status: number;
  readonly body: Resource | Record<string, unknown>;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RouterDeps extends Omit<DecisionDeps, 'isKnownCode'> {
  readonly settings: ChartcoderSettings;
  /** Sends a transaction to the EHR's FHIR server (used only when http.writeBack is on). */
  readonly writeToEhr?: (transaction: Bundle) => Promise<Bundle>;
  /** The coding engine (in-process, or in a worker thread): opened on first use, retried after a failure. */
  readonly suggester: () => Promise<CodingService>;
  readonly readEncounter: (id: string) => Promise<EncounterView>;
  readonly audit: AuditTrail;
}

type Handler = (req: HttpRequest, match: RegExpExecArray, client: string) => Promise<HttpResponse>;
interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly scope?: string;
  /** Bodies larger than this are refused before parsing (the global http.maxBodyBytes when it is lower). */
  readonly maxBodyBytes?: number;
  readonly handler: Handler;
}

/** Body limits of the routes whose bodies are small by nature: a decision, a CDS feedback. */
const SMALL_BODY = 64 * 1024;

const respond = (body: Resource): HttpResponse => ({ status: body.resourceType === 'OperationOutcome' ? statusOf(body as OperationOutcome) : 200, body });

/** Every error reason as the API answers it: client faults 4xx, a missing or broken service 503, ours 500. */
const ERROR_OUTCOMES: Record<ErrorReason, (message: string) => OperationOutcome> = {
  'not-found': (m) => outcome('error', 'not-found', m),
  'bad-input': (m) => badRequest(m),
  'query-invalid': (m) => badRequest(m),
  'data-unreadable': (m) => outcome('error', 'processing', m),
  conflict: (m) => outcome('error', 'conflict', m),
  'too-large': (m) => outcome('error', 'too-costly', m),
  'model-missing': (m) => outcome('error', 'conflict', m),
  unauthorized: (m) => outcome('error', 'forbidden', `the EHR's FHIR server refused: ${m}`),
  'service-unavailable': (m) => outcome('error', 'transient', m),
  'index-missing': (m) => outcome('error', 'transient', m),
  'provision-failed': (m) => outcome('error', 'transient', m),
  'store-unavailable': (m) => outcome('error', 'transient', m),
  'config-invalid': (m) => outcome('error', 'exception', m),
  'config-unreadable': (m) => outcome('error', 'exception', m),
};

export const ERROR_REASONS_ANSWERED = Object.keys(ERROR_OUTCOMES) as ErrorReason[];

export function outcomeOfError(err: unknown): OperationOutcome {
  if (err instanceof InvalidInput) return err.outcome;
  if (err instanceof ChartcoderError) return ERROR_OUTCOMES[err.reason](err.message);
  return outcome('error', 'exception', `internal error: ${describeError(err)}`);
}

function modeOf(parameters: Parameters | undefined): SuggestMode | undefined {
  const value = parameters?.parameter?.find((p) => p.name === 'mode')?.valueCode;
  if (value === undefined) return undefined;
  if (!(SUGGEST_MODES as readonly string[]).includes(value)) throw new ChartcoderError('bad-input', `mode must be one of ${SUGGEST_MODES.join(', ')}`);
  return value as SuggestMode;
}

function parametersOf(body: unknown): Parameters | undefined {
  if (body === undefined) return undefined;
  if ((body as { resourceType?: unknown })?.resourceType !== 'Parameters')
    throw new ChartcoderError('bad-input', 'the body must be a FHIR Parameters resource');
  assertValidResource(body, 'Parameters');
  return body as Parameters;
}

async function suggestionsOf(deps: RouterDeps, view: EncounterView, mode: SuggestMode | undefined): Promise<SuggestResult> {
  const coding = await deps.suggester();
  return finalResult(coding.suggest(view, mode ? { mode } : {}));
}

const suggestFor = async (deps: RouterDeps, view: EncounterView, mode: SuggestMode | undefined): Promise<HttpResponse> =>
  respond(suggestParameters(await suggestionsOf(deps, view, mode), view));

/** Cards answered recently, so their feedback can be tied back to the suggestion (bounded). */
function rememberCard(cards: Map<string, CardRecord>, uuid: string, record: CardRecord): void {
  cards.set(uuid, record);
  if (cards.size > 10_000) cards.delete(cards.keys().next().value!);
}

async function encounterFromParameters(deps: RouterDeps, parameters: Parameters | undefined): Promise<EncounterView> {
  const bundle = parameters?.parameter?.find((p) => p.name === 'bundle')?.resource;
  const reference = parameters?.parameter?.find((p) => p.name === 'encounter')?.valueReference?.reference;
  if (bundle) {
    if (!isBundle(bundle)) throw new ChartcoderError('bad-input', 'parameter "bundle" must hold a Bundle');
    const id = reference?.replace(/^Encounter\//, '');
    const assembled = assembleEncounter(
      (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : [])),
      id,
    );
    if ('problem' in assembled) throw new ChartcoderError(assembled.problem === 'unknown-encounter' ? 'not-found' : 'bad-input', assembled.message);
    return assembled.view;
  }
  const id = /^Encounter\/([A-Za-z0-9\-.]{1,64})$/.exec(reference ?? '')?.[1];
  if (!id) throw new ChartcoderError('bad-input', 'give a "bundle" parameter, or an "encounter" reference Encounter/<id>');
  return deps.readEncounter(id);
}

function pageParameter(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const text = query.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (!/^\d{1,16}$/.test(text) || value < min || value > max) throw new ChartcoderError('bad-input', `${name} must be a whole number from ${min} to ${max}`);
  return value;
}

export function createRouter(deps: RouterDeps): (req: HttpRequest) => Promise<HttpResponse> {
  const limiter = rateLimiter(deps.settings.http.requestsPerMinute);
  const auth = authenticator(deps.settings.http);
  const failedLoginLimit = deps.settings.http.failedLoginsPerMinute;
  const failedLogins = rateLimiter(failedLoginLimit);
  const lockedOut = new Map<string, number>();
  const cards = new Map<string, CardRecord>();
  const decisionDeps: DecisionDeps = {
    decisions: deps.decisions,
    audit: deps.audit,
    // A replacement is a reportable code. CPT descriptors are AMA-licensed and usually absent: a CPT replacement is
    // checked for its form only.
    isKnownCode: async (system, code) =>
      (await (await deps.suggester()).lookupCode(system, code))?.billable === true || (system === 'cpt' && /^\d{4}[0-9FTU]$/i.test(code)),
  };
  const routes: Route[] = [
    { method: 'GET', pattern: /^\/fhir\/metadata$/, handler: async () => respond(capabilityStatement()) },
    {
      method: 'POST',
      pattern: /^\/fhir\/Encounter\/([A-Za-z0-9\-.]{1,64})\/\$suggest-codes$/,
      scope: 'system/Encounter.read',
      handler: async (req, m, client) =>
        audited(deps.audit, { client, action: 'E', what: `Encounter/${m[1]}`, operation: '$suggest-codes' }, async () =>
          suggestFor(deps, await deps.readEncounter(m[1]!), modeOf(parametersOf(req.body))),
        ),
    },
    {
      method: 'POST',
      pattern: /^\/fhir\/\$suggest-codes$/,
      scope: 'system/Encounter.read',
      handler: async (req, _m, client) => {
        const parameters = parametersOf(req.body);
        const view = await encounterFromParameters(deps, parameters);
        return audited(deps.audit, { client, action: 'E', what: view.encounter.reference, operation: '$suggest-codes' }, () =>
          suggestFor(deps, view, modeOf(parameters)),
        );
      },
    },
    {
      method: 'POST',
      pattern: /^\/fhir\/\$record-decision$/,
      scope: 'system/Condition.write',
      maxBodyBytes: SMALL_BODY,
      handler: async (req, _m, client) => respond(await recordDecisionOperation(decisionDeps, parametersOf(req.body), client, req.headers['x-request-id'])),
    },
    {
      method: 'POST',
      pattern: /^\/fhir\/Encounter\/([A-Za-z0-9\-.]{1,64})\/\$write-back$/,
      scope: 'system/Condition.write',
      handler: async (_req, m, client) => {
        if (!deps.settings.http.writeBack || !deps.writeToEhr) return respond(forbidden('write-back is off: set http.writeBack to true to allow it'));
        const view = await deps.readEncounter(m[1]!);
        const coding = await deps.suggester();
        const codes = finalCodes(deps.decisions.forSubject(view.encounter.reference).values()).filter((c) => c.system === 'icd10cm');
        const entries = await Promise.all(codes.map(async (c) => [c.code, await coding.lookupCode(c.system, c.code)] as const));
        const transaction = writeBackTransaction(codes, view, new Map(entries.flatMap(([code, e]) => (e ? [[code, e]] : []))), coding.fy);
        return audited(deps.audit, { client, action: 'C', what: view.encounter.reference, operation: '$write-back' }, async () =>
          respond(await deps.writeToEhr!(transaction)),
        );
      },
    },
    { method: 'GET', pattern: /^\/cds-services$/, handler: async () => ({ status: 200, body: discovery() }) },
    {
      method: 'POST',
      pattern: new RegExp(`^/cds-services/${SERVICE_ID}$`),
      scope: 'system/Encounter.read',
      handler: async (req, _m, client) => {
        const hook = parseHookRequest(req.body);
        const view = viewFromPrefetch(hook) ?? (await deps.readEncounter(hook.encounterId));
        return audited(deps.audit, { client, action: 'E', what: view.encounter.reference, operation: `cds-hooks ${SERVICE_ID}` }, async () => {
          const result = await suggestionsOf(deps, view, undefined);
          return { status: 200, body: cardsOf(result, view, (uuid, record) => rememberCard(cards, uuid, record)) };
        });
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/cds-services/${SERVICE_ID}/feedback$`),
      scope: 'system/Encounter.read',
      maxBodyBytes: SMALL_BODY,
      handler: async (req, _m, client) => ({ status: 200, body: { stored: storeFeedback(req.body, cards, deps.decisions, client) } }),
    },
    {
      method: 'GET',
      pattern: /^\/fhir\/AuditEvent$/,
      scope: 'system/AuditEvent.read',
      maxBodyBytes: 0,
      handler: async (req) =>
        respond(
          deps.audit.search(req.query.get('encounter') ?? undefined, {
            count: pageParameter(req.query, '_count', DEFAULT_PAGE, 1, MAX_PAGE),
            offset: pageParameter(req.query, '_offset', 0, 0, Number.MAX_SAFE_INTEGER),
          }),
        ),
    },
  ];
  return async (req) => {
    const route = routes.find((r) => r.method === req.method && r.pattern.test(req.path));
    if (!route) {
      const known = routes.some((r) => r.pattern.test(req.path));
      return {
        status: known ? 405 : 404,
        body: known ? outcome('error', 'not-supported', `${req.method} is not supported on ${req.path}`) : notFound(req.path),
      };
    }
    let client = 'anonymous';
    if (route.scope) {
      const peer = req.remote ?? 'unknown';
      const lockedUntil = lockedOut.get(peer);
      if (lockedUntil !== undefined && lockedUntil <= Date.now()) lockedOut.delete(peer);
      else if (lockedUntil !== undefined)
        return {
          status: 429,
          body: outcome('error', 'throttled', `more than ${failedLoginLimit} failed logins a minute from this address`),
          headers: { 'retry-after': '60' },
        };
      const granted = await auth.authorize(req.headers['authorization'], route.scope);
      if (!granted.ok) {
        if (statusOf(granted.outcome) === 401) {
          recordAccess(
            deps.audit,
            { client: `unauthenticated (${peer})`, action: 'E', what: req.path, operation: 'login' },
            '4',
            granted.outcome.issue[0]?.diagnostics ?? 'login failed',
          );
          if (!failedLogins.take(peer)) lockedOut.set(peer, Date.now() + 60_000);
        }
        return { status: statusOf(granted.outcome), body: granted.outcome, headers: { 'www-authenticate': 'Bearer' } };
      }
      client = granted.client;
    }
    if (!limiter.take(client))
      return {
        status: 429,
        body: outcome('error', 'throttled', `more than ${deps.settings.http.requestsPerMinute} requests a minute`),
        headers: { 'retry-after': '60' },
      };
    try {
      const body = req.body === undefined && req.readBody ? await req.readBody(route.maxBodyBytes) : req.body;
      return await route.handler(body === undefined ? req : { ...req, body }, route.pattern.exec(req.path)!, client);
    } catch (err) {
      if (err instanceof BodyError) return err.response();
      const body = outcomeOfError(err);
      return { status: statusOf(body), body };
    }
  };
}
