// A SMART Backend Services token endpoint for the FHIR test server (test infrastructure, never shipped):
// clients register a public JWK, exchange a signed client assertion (RS384/ES384) for an opaque bearer token, and
// every FHIR request that carries a bearer token must carry a live one. Requests without one stay open, so the
// unauthenticated tests keep working against the same server.
import { randomBytes } from 'node:crypto';
import { importJWK, jwtVerify, type JWK } from 'jose';

interface RegisteredClient {
  readonly jwk: JWK;
  readonly tokenLifetimeS: number;
}
interface IssuedToken {
  readonly clientId: string;
  readonly expiresAt: number;
}

export interface AuthAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export function smartAuth(tokenUrl: string) {
  const clients = new Map<string, RegisteredClient>();
  const tokens = new Map<string, IssuedToken>();
  const seenJti = new Set<string>();
  const refuse = (status: number, error: string, description: string): AuthAnswer => ({ status, body: { error, error_description: description } });

  return {
    register(body: unknown): AuthAnswer {
      const { client_id: clientId, jwk, token_lifetime: lifetime } = (body ?? {}) as { client_id?: string; jwk?: JWK; token_lifetime?: number };
      if (!clientId || !jwk?.kty) return refuse(400, 'invalid_request', 'client_id and jwk are required');
      clients.set(clientId, { jwk, tokenLifetimeS: lifetime ?? 300 });
      return { status: 201, body: { client_id: clientId } };
    },

    async token(form: URLSearchParams): Promise<AuthAnswer> {
      if (form.get('grant_type') !== 'client_credentials') return refuse(400, 'unsupported_grant_type', 'client_credentials only');
      if (form.get('client_assertion_type') !== ASSERTION_TYPE) return refuse(400, 'invalid_request', 'client_assertion_type must be jwt-bearer');
      const assertion = form.get('client_assertion') ?? '';
      const [, payload = ''] = assertion.split('.');
      const issuer = (() => {
        try {
          return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).iss as string;
        } catch {
          return '';
        }
      })();
      const client = clients.get(issuer);
      if (!client) return refuse(401, 'invalid_client', `unknown client ${issuer || '(none)'}`);
      try {
        const key = await importJWK(client.jwk, client.jwk.alg ?? (client.jwk.kty === 'EC' ? 'ES384' : 'RS384'));
        const { payload: claims } = await jwtVerify(assertion, key, {
          issuer,
          subject: issuer,
          audience: tokenUrl,
          algorithms: ['RS384', 'ES384'],
          maxTokenAge: '5m',
        });
        if (!claims.jti || seenJti.has(claims.jti)) return refuse(401, 'invalid_client', 'jti missing or reused');
        seenJti.add(claims.jti);
      } catch (err) {
        return refuse(401, 'invalid_client', (err as Error).message);
      }
      const accessToken = randomBytes(24).toString('base64url');
      tokens.set(accessToken, { clientId: issuer, expiresAt: Date.now() + client.tokenLifetimeS * 1000 });
      return { status: 200, body: { access_token: accessToken, token_type: 'bearer', expires_in: client.tokenLifetimeS, scope: form.get('scope') ?? '' } };
    },

    /** undefined: allowed; otherwise why the Authorization header is refused. */
    check(authorization: string | undefined): string | undefined {
      if (!authorization) return undefined;
      const token = /^Bearer (.+)$/i.exec(authorization)?.[1];
      const issued = token ? tokens.get(token) : undefined;
      if (!issued) return 'unknown bearer token';
      if (issued.expiresAt <= Date.now()) return 'expired bearer token';
      return undefined;
    },

    configuration: () => ({
      token_endpoint: tokenUrl,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
      scopes_supported: ['system/*.read', 'system/*.rs'],
      capabilities: ['client-confidential-asymmetric'],
    }),
  };
}
