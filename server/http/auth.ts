// Who is calling and may they: a bearer token (configured static tokens for local use) and its SMART scopes.
// No token or an unknown one → 401; a known token without the scope the route needs → 403.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { forbidden, unauthorized } from '../../fhir';
import type { StaticToken } from '../protocol';

export type AuthResult =
  | { readonly ok: true; readonly client: string; readonly scopes: readonly string[] }
  | { readonly ok: false; readonly outcome: OperationOutcome };

const digest = (s: string) => createHash('sha256').update(s).digest();

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

export function authorize(authorization: string | undefined, needed: string, tokens: readonly StaticToken[]): AuthResult {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!bearer) return { ok: false, outcome: unauthorized('a bearer token is required') };
  const presented = digest(bearer);
  const token = tokens.find((t) => timingSafeEqual(digest(t.token), presented));
  if (!token) return { ok: false, outcome: unauthorized('the bearer token is not valid') };
  if (!grants(token.scopes, needed)) return { ok: false, outcome: forbidden(`the token lacks the scope ${needed}`) };
  return { ok: true, client: token.client, scopes: token.scopes };
}
