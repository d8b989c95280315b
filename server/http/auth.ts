// Who is calling and may they. A bearer token is either a configured static token (local use) or a SMART Backend
// Services client JWT (RS384/ES384, signed with a key in the client's JWK Set; `iss` = `sub` = client id; `aud` =
// this API; `exp` at most 5 minutes from now, `iat` and `nbf` not in the future, a `jti` used once). Its `scope`
// claim is intersected with what the client may have, wildcards and SMART v2 permissions (`.rs`, `.cruds`) included.
// No token, an unknown or forged one, an expired or replayed one → 401; a valid token without the route's scope → 403.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import { forbidden, unauthorized } from '../../fhir';
import { grants, intersectScopes } from '../../fhir/smartScopes';
import { ChartcoderError } from '../engine/errors';
import type { HttpSettings, SmartClient } from '../protocol';

export type AuthResult =
  | { readonly ok: true; readonly client: string; readonly scopes: readonly string[] }
  | { readonly ok: false; readonly outcome: OperationOutcome };

const digest = (s: string) => createHash('sha256').update(s).digest();
const MAX_LIFETIME_S = 300;
/** Clock difference tolerated between the client and this server. */
const CLOCK_SKEW_S = 30;

/** Assertions seen, by client and jti, until they expire: a JWT is good for one use. */
function replayCache(now: () => number) {
  const seen = new Map<string, number>();
  return {
    firstUse(key: string, exp: number): boolean {
      const t = now();
      for (const [k, e] of seen) if (e < t - CLOCK_SKEW_S) seen.delete(k);
      if (seen.has(key)) return false;
      seen.set(key, exp);
      return true;
    },
  };
}

export interface Authenticator {
  authorize(authorization: string | undefined, needed: string): Promise<AuthResult>;
}

const keySets = new Map<string, ReturnType<typeof createLocalJWKSet>>();
const keySetOf = (client: SmartClient) => {
  let set = keySets.get(client.jwksPath);
  if (!set) {
    set = createLocalJWKSet(JSON.parse(readFileSync(client.jwksPath, 'utf8')) as JSONWebKeySet);
    keySets.set(client.jwksPath, set);
  }
  return set;
};

/** Every SMART client's JWK Set must be readable when the API starts, not at its first request. */
function checkKeySets(settings: HttpSettings): void {
  settings.smart?.clients.forEach((client, i) => {
    try {
      keySetOf(client);
    } catch (err) {
      throw new ChartcoderError(
        'config-invalid',
        `http.smart.clients[${i}].jwksPath: cannot read a JWK Set from ${client.jwksPath} (${(err as Error).message.split('\n')[0]})`,
      );
    }
  });
}

type Replays = ReturnType<typeof replayCache>;

async function verifySmartJwt(
  token: string,
  settings: NonNullable<HttpSettings['smart']>,
  replays: Replays,
  nowS: number,
): Promise<{ client: string; scopes: string[] } | string> {
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(token);
  } catch {
    return 'the bearer token is not valid';
  }
  const client = settings.clients.find((c) => c.clientId === claims.iss);
  if (!client) return 'the bearer token is not valid';
  try {
    const { payload } = await jwtVerify(token, keySetOf(client), {
      audience: settings.audience,
      issuer: client.clientId,
      subject: client.clientId,
      algorithms: ['RS384', 'ES384'],
      requiredClaims: ['exp', 'jti'],
      clockTolerance: CLOCK_SKEW_S,
      currentDate: new Date(nowS * 1000),
    });
    if (payload.exp! - nowS > MAX_LIFETIME_S + CLOCK_SKEW_S) return `the token must expire within ${MAX_LIFETIME_S} s`;
    if (payload.iat !== undefined && payload.iat > nowS + CLOCK_SKEW_S) return 'the token is issued in the future';
    if (!replays.firstUse(`${client.clientId} ${payload.jti}`, payload.exp!)) return 'the bearer token was already used (jti)';
    const requested = typeof payload['scope'] === 'string' ? payload['scope'].split(/\s+/).filter(Boolean) : [];
    return { client: client.clientId, scopes: intersectScopes(requested, client.scopes) };
  } catch (err) {
    return (err as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'the bearer token has expired' : 'the bearer token is not valid';
  }
}

export function authenticator(settings: HttpSettings, now: () => number = Date.now): Authenticator {
  checkKeySets(settings);
  const replays = replayCache(() => Math.floor(now() / 1000));
  return {
    async authorize(authorization, needed) {
      const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
      if (!bearer) return { ok: false, outcome: unauthorized('a bearer token is required') };
      let identity: { client: string; scopes: readonly string[] } | string = 'the bearer token is not valid';
      const presented = digest(bearer);
      const token = settings.tokens.find((t) => timingSafeEqual(digest(t.token), presented));
      if (token) identity = { client: token.client, scopes: token.scopes };
      else if (settings.smart && bearer.split('.').length === 3) identity = await verifySmartJwt(bearer, settings.smart, replays, Math.floor(now() / 1000));
      if (typeof identity === 'string') return { ok: false, outcome: unauthorized(identity) };
      if (!grants(identity.scopes, needed)) return { ok: false, outcome: forbidden(`the token lacks the scope ${needed}`) };
      return { ok: true, ...identity };
    },
  };
}
