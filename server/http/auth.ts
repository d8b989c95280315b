// Who is calling and may they. A bearer token is either a configured static token (local use) or a SMART Backend
// Services client JWT (RS384/ES384, signed with a key in the client's JWK Set; `iss` = `sub` = client id; `aud` =
// this API; unexpired, at most 5 minutes of life; `scope` claim intersected with what the client may have).
// No token, an unknown or forged one, an expired one → 401; a valid token without the route's scope → 403.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import { forbidden, unauthorized } from '../../fhir';
import type { HttpSettings, SmartClient } from '../protocol';

export type AuthResult =
  | { readonly ok: true; readonly client: string; readonly scopes: readonly string[] }
  | { readonly ok: false; readonly outcome: OperationOutcome };

const digest = (s: string) => createHash('sha256').update(s).digest();
const MAX_LIFETIME_S = 300;

/** "system/Encounter.read" is granted by itself, by "system/Encounter.*", "system/*.read" and "system/*.*". */
export function grants(scopes: readonly string[], needed: string): boolean {
  const [context, rest = ''] = needed.split('/');
  const [resource, access] = rest.split('.');
  return scopes.some((s) => {
    const [c, r = ''] = s.split('/');
    const [res, acc] = r.split('.');
    return c === context && (res === resource || res === '*') && (acc === access || acc === '*');
  });
}

export interface Authenticator {
  authorize(authorization: string | undefined, needed: string): Promise<AuthResult>;
}

const keySets = new Map<string, ReturnType<typeof createLocalJWKSet>>();
const keySetOf = (client: SmartClient) => {
  let set = keySets.get(client.jwksPath);
  if (!set) { set = createLocalJWKSet(JSON.parse(readFileSync(client.jwksPath, 'utf8')) as JSONWebKeySet); keySets.set(client.jwksPath, set); }
  return set;
};

async function verifySmartJwt(token: string, settings: NonNullable<HttpSettings['smart']>): Promise<{ client: string; scopes: string[] } | string> {
  let claims;
  try { claims = decodeJwt(token); } catch { return 'the bearer token is not valid'; }
  const client = settings.clients.find((c) => c.clientId === claims.iss);
  if (!client) return 'the bearer token is not valid';
  try {
    const { payload } = await jwtVerify(token, keySetOf(client), { audience: settings.audience, issuer: client.clientId, subject: client.clientId, algorithms: ['RS384', 'ES384'], requiredClaims: ['exp'] });
    if ((payload.exp ?? 0) - (payload.iat ?? Math.floor(Date.now() / 1000)) > MAX_LIFETIME_S) return `the token lives longer than ${MAX_LIFETIME_S} s`;
    const requested = typeof payload['scope'] === 'string' ? payload['scope'].split(/\s+/).filter(Boolean) : [];
    return { client: client.clientId, scopes: requested.filter((s) => grants(client.scopes, s)) };
  } catch (err) {
    return (err as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'the bearer token has expired' : 'the bearer token is not valid';
  }
}

export function authenticator(settings: HttpSettings): Authenticator {
  return {
    async authorize(authorization, needed) {
      const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
      if (!bearer) return { ok: false, outcome: unauthorized('a bearer token is required') };
      let identity: { client: string; scopes: readonly string[] } | string = 'the bearer token is not valid';
      const presented = digest(bearer);
      const token = settings.tokens.find((t) => timingSafeEqual(digest(t.token), presented));
      if (token) identity = { client: token.client, scopes: token.scopes };
      else if (settings.smart && bearer.split('.').length === 3) identity = await verifySmartJwt(bearer, settings.smart);
      if (typeof identity === 'string') return { ok: false, outcome: unauthorized(identity) };
      if (!grants(identity.scopes, needed)) return { ok: false, outcome: forbidden(`the token lacks the scope ${needed}`) };
      return { ok: true, ...identity };
    },
  };
}
