// The auth matrix of the integrator API as a table: every PHI route × every kind of bad token → 401, and every scope
// → the routes it opens (200 or 400 for an empty body) and those it does not (403).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { base64url, SignJWT } from 'jose';
import { AUDIENCE, jwt, keys, makeKeys, READER, req, router } from '../helpers/httpApi';

const ROUTES: readonly { readonly method: string; readonly path: string; readonly scope: string }[] = [
  { method: 'POST', path: '/fhir/Encounter/synthetic-1/$suggest-codes', scope: 'system/Encounter.read' },
  { method: 'POST', path: '/fhir/$suggest-codes', scope: 'system/Encounter.read' },
  { method: 'POST', path: '/fhir/$record-decision', scope: 'system/Condition.write' },
  { method: 'POST', path: '/fhir/Encounter/synthetic-1/$write-back', scope: 'system/Condition.write' },
  { method: 'GET', path: '/fhir/AuditEvent', scope: 'system/AuditEvent.read' },
  { method: 'POST', path: '/cds-services/chartcoder-coding', scope: 'system/Encounter.read' },
  { method: 'POST', path: '/cds-services/chartcoder-coding/feedback', scope: 'system/Encounter.read' },
];

const now = () => Math.floor(Date.now() / 1000);
const claims = (o: { iat?: number; exp?: number; aud?: string } = {}) =>
  new SignJWT({ scope: 'system/*.read' })
    .setProtectedHeader({ alg: 'ES384', kid: 'k1' })
    .setIssuer('synthetic-ehr-client')
    .setSubject('synthetic-ehr-client')
    .setAudience(o.aud ?? AUDIENCE)
    .setIssuedAt(o.iat ?? now() - 5)
    .setExpirationTime(o.exp ?? now() + 200)
    .setJti(randomUUID());

/** Each kind of bad bearer token, made fresh per use (a replayed one is used once first). */
const BAD_TOKENS: Record<string, (use: (token: string) => Promise<number>) => Promise<string | undefined>> = {
  none: async () => undefined,
  malformed: async () => 'not.a.jwt!',
  wrong: async () => 'forged-token-0123456789',
  expired: async () => claims({ iat: now() - 600, exp: now() - 60 }).sign(keys.client!),
  'future-iat': async () => claims({ iat: now() + 86_400, exp: now() + 86_400 + 200 }).sign(keys.client!),
  replayed: async (use) => {
    const token = await jwt({ scope: 'system/*.read' });
    await use(token);
    return token;
  },
  'wrong-aud': async () => claims({ aud: 'https://elsewhere.example/fhir' }).sign(keys.client!),
  'alg-none': async () =>
    `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url.encode(JSON.stringify({ iss: 'synthetic-ehr-client', sub: 'synthetic-ehr-client', aud: AUDIENCE, exp: now() + 200, jti: randomUUID(), scope: 'system/*.*' }))}.`,
  'stranger-key': async () => claims().sign(keys.stranger!),
};

describe('auth matrix (every route × every bad token; every scope)', () => {
  before(makeKeys);

  for (const route of ROUTES) {
    for (const [kind, make] of Object.entries(BAD_TOKENS)) {
      it(`${route.method} ${route.path} with a ${kind} token → 401`, async () => {
        const handle = router();
        const use = async (token: string) => (await handle(req(route.method, route.path, token))).status;
        const token = await make(use);
        const res = await handle(req(route.method, route.path, token));
        assert.equal(res.status, 401, JSON.stringify(res.body));
        assert.equal((res.body as { resourceType: string }).resourceType, 'OperationOutcome');
        assert.equal(res.headers?.['www-authenticate'], 'Bearer');
      });
    }
  }

  const SCOPES = [
    'system/Encounter.read',
    'system/Condition.write',
    'system/AuditEvent.read',
    'system/*.read',
    'system/*.*',
    'system/Encounter.rs',
    'system/Condition.cud',
  ];
  for (const scope of SCOPES) {
    it(`a token with only ${scope} opens exactly the routes that scope grants`, async () => {
      const token = `scoped-token-${scope.replace(/\W/g, '-')}`;
      const handle = router({ writeBack: true, extraTokens: [{ token, scopes: [scope], client: 'scoped' }] });
      for (const route of ROUTES) {
        const status = (await handle(req(route.method, route.path, token))).status;
        const [, resource = '', permissions = ''] = /^system\/([^.]+)\.(.+)$/.exec(scope) ?? [];
        const [, needResource = '', needAccess = ''] = /^system\/([^.]+)\.(.+)$/.exec(route.scope) ?? [];
        const letters: Record<string, string> = { read: 'rs', write: 'cud', '*': 'cruds' };
        const granted =
          (resource === '*' || resource === needResource) && [...letters[needAccess]!].every((l) => (letters[permissions] ?? permissions).includes(l));
        if (granted) assert.notEqual(status, 403, `${scope} on ${route.path}`);
        else assert.equal(status, 403, `${scope} on ${route.path}`);
        assert.notEqual(status, 401);
      }
    });
  }

  it('the reader token keeps working between all of these (no lock-out of a good client)', async () => {
    assert.equal((await router()(req('POST', '/fhir/Encounter/synthetic-1/$suggest-codes', READER))).status, 200);
  });
});
