// SMART Backend Services (client-credentials with a private-key JWT, hl7.org/fhir/smart-app-launch/backend-services):
// a signed client assertion is exchanged at the token endpoint for an access token, kept until shortly before it
// expires, then fetched again. Signing with jose (panva), the kept JOSE library for Node.
import { createPrivateKey, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { importPKCS8, SignJWT } from 'jose';
import { ChartcoderError } from '../../engine/errors';

export interface SmartBackendSettings {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly privateKeyPath: string;
  readonly keyId?: string;
  readonly scope: string;
}

export interface TokenProvider {
  token(): Promise<string>;
  /** Token requests made so far (for status and tests). */
  readonly requests: number;
}

interface CachedToken {
  readonly value: string;
  readonly obtainedAt: number;
  readonly expiresAt: number;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The SMART-required algorithms: RS384 for RSA keys, ES384 for EC keys. */
function algorithmOf(pem: string): 'RS384' | 'ES384' {
  return createPrivateKey(pem).asymmetricKeyType === 'ec' ? 'ES384' : 'RS384';
}

/** A token is renewed when less than a tenth of its life (at most one minute) is left. */
const stale = (token: CachedToken, at: number): boolean => at >= token.expiresAt - Math.min(60_000, (token.expiresAt - token.obtainedAt) / 10);

/** `now` decides when the cached token is renewed (injectable so renewal can be tested without waiting). */
export function smartBackendTokens(settings: SmartBackendSettings, now: () => number = Date.now): TokenProvider {
  let cached: CachedToken | undefined;
  let pending: Promise<CachedToken> | undefined;
  let requests = 0;
  const fetchToken = async (): Promise<CachedToken> => {
    let pem: string;
    try {
      pem = readFileSync(settings.privateKeyPath, 'utf8');
    } catch (err) {
      throw new ChartcoderError('config-invalid', `fhir.auth.privateKeyPath: cannot read ${settings.privateKeyPath}`, { cause: err });
    }
    let alg: 'RS384' | 'ES384';
    try {
      alg = algorithmOf(pem);
    } catch (err) {
      throw new ChartcoderError('config-invalid', `fhir.auth.privateKeyPath: ${settings.privateKeyPath} is not a private key`, { cause: err });
    }
    const key = await importPKCS8(pem, alg).catch((err: unknown) => {
      throw new ChartcoderError('config-invalid', `fhir.auth.privateKeyPath: not a PKCS#8 ${alg} private key`, { cause: err });
    });
    const issuedAt = Math.floor(Date.now() / 1000); // the assertion's own times are real; `now` drives renewal only
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg, typ: 'JWT', ...(settings.keyId ? { kid: settings.keyId } : {}) })
      .setIssuer(settings.clientId)
      .setSubject(settings.clientId)
      .setAudience(settings.tokenUrl)
      .setJti(randomUUID())
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + 300)
      .sign(key);
    requests++;
    const response = await fetch(settings.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: settings.scope,
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: assertion,
      }),
      signal: AbortSignal.timeout(30_000),
    }).catch((err: unknown) => {
      throw new ChartcoderError('service-unavailable', `SMART token endpoint ${settings.tokenUrl} unreachable: ${(err as Error).message}`, { cause: err });
    });
    const body = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (!response.ok || !body.access_token) {
      throw new ChartcoderError(
        'unauthorized',
        (
          `SMART token request to ${settings.tokenUrl} failed: ${response.status} ` +
          `${body.error ?? ''}${body.error_description ? ` (${body.error_description})` : ''}`
        ).trim(),
      );
    }
    const obtainedAt = now();
    return { value: body.access_token, obtainedAt, expiresAt: obtainedAt + (body.expires_in ?? 300) * 1000 };
  };
  return {
    get requests() {
      return requests;
    },
    async token() {
      if (cached && !stale(cached, now())) return cached.value;
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      cached = await pending;
      return cached.value;
    },
  };
}
