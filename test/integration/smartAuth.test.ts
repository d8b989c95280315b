// SMART Backend Services against the token endpoint the FHIR test server runs.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { createFhirClient } from '../../server/adapters/fhir/client';
import { fetchEncounter } from '../../server/adapters/fhir/fetchEncounter';
import { smartBackendTokens } from '../../server/adapters/fhir/smartBackendAuth';
import { ChartcoderError } from '../../server/engine/errors';
import { fhirBaseUrl } from '../../server/app/health';
import { localSettings } from '../helpers/settings';

describe('SMART Backend Services auth (token endpoint on the FHIR test server)', function () {
  this.timeout(60_000);
  const settings = localSettings();
  const base = fhirBaseUrl(settings);
  const origin = new URL(base).origin;
  const tokenUrl = `${origin}/auth/token`;
  const dir = mkdtempSync(join(tmpdir(), 'chartcoder-smart-'));

  async function registeredClient(alg: 'RS384' | 'ES384', tokenLifetime = 300): Promise<{ clientId: string; privateKeyPath: string }> {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
    const clientId = `synthetic-client-${alg}-${Math.random().toString(36).slice(2)}`;
    const privateKeyPath = join(dir, `${clientId}.pem`);
    writeFileSync(privateKeyPath, await exportPKCS8(privateKey));
    const response = await fetch(`${origin}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: clientId, jwk: { ...(await exportJWK(publicKey)), alg }, token_lifetime: tokenLifetime }),
    });
    assert.equal(response.status, 201);
    return { clientId, privateKeyPath };
  }

  const read = (token: string) =>
    fetch(`${base}/Encounter/synthetic-enc-chf`, { headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json' } });

  it('publishes its SMART configuration', async () => {
    const config = (await (await fetch(`${base}/.well-known/smart-configuration`)).json()) as {
      token_endpoint: string;
      token_endpoint_auth_methods_supported: string[];
    };
    assert.equal(config.token_endpoint, tokenUrl);
    assert.deepEqual(config.token_endpoint_auth_methods_supported, ['private_key_jwt']);
  });

  for (const alg of ['RS384', 'ES384'] as const) {
    it(`exchanges a ${alg} client assertion for a token and reads the encounter with it (fhir-kit-client)`, async () => {
      const client = await registeredClient(alg);
      const auth = { kind: 'smart-backend' as const, tokenUrl, scope: 'system/*.read', ...client };
      const fhir = await createFhirClient({ ...settings.fhir, auth }, base);
      const fetched = await fetchEncounter(fhir, 'synthetic-enc-chf', { pageSize: 5, maxPages: 2 });
      assert.ok(fetched.resources.some((r) => r.resourceType === 'DocumentReference'));
      const token = await smartBackendTokens(auth).token();
      assert.equal((await read(token)).status, 200);
    });
  }

  it('renews the token shortly before it expires, and not before', async () => {
    const client = await registeredClient('RS384', 300);
    let clock = Date.now();
    const tokens = smartBackendTokens({ tokenUrl, scope: 'system/*.read', ...client }, () => clock);
    const first = await tokens.token();
    clock += 200_000;
    assert.equal(await tokens.token(), first);
    assert.equal(tokens.requests, 1);
    clock += 80_000; // 20 s left of 300: inside the renewal margin (30 s)
    assert.notEqual(await tokens.token(), first);
    assert.equal(tokens.requests, 2);
  });

  it('refuses an assertion signed with a key the server does not know', async () => {
    const client = await registeredClient('RS384');
    const other = await registeredClient('RS384');
    const tokens = smartBackendTokens({ tokenUrl, scope: 'system/*.read', clientId: client.clientId, privateKeyPath: other.privateKeyPath });
    await assert.rejects(
      tokens.token(),
      (err: unknown) => err instanceof ChartcoderError && err.reason === 'unauthorized' && /failed: 401 invalid_client/.test(err.message),
    );
  });

  it('rejects an invalid or expired token: 401 from the server, a clear unauthorized error from the adapter', async () => {
    assert.equal((await read('not-a-token')).status, 401);
    const shortLived = await registeredClient('RS384', 0);
    const expired = await smartBackendTokens({ tokenUrl, scope: 'system/*.read', ...shortLived }).token();
    const response = await read(expired);
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /expired bearer token/);
    const fhir = await createFhirClient({ ...settings.fhir, auth: { kind: 'bearer', token: expired } }, base);
    await assert.rejects(
      fetchEncounter(fhir, 'synthetic-enc-chf', { pageSize: 5, maxPages: 1 }),
      (err: unknown) =>
        err instanceof ChartcoderError &&
        err.reason === 'unauthorized' &&
        /Encounter\/synthetic-enc-chf: the FHIR server refused the credentials \(401\)/.test(err.message),
    );
  });
});
