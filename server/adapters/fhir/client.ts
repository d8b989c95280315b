// fhir-kit-client for the configured FHIR server. The package is ESM-only, hence the dynamic import.
import type { Client } from 'fhir-kit-client';
import type { CapabilityStatement } from '@medplum/fhirtypes';
import { isCapabilityStatement } from '../../../fhir';
import type { FhirSettings } from '../../protocol';
import { smartBackendTokens, type TokenProvider } from './smartBackendAuth';

export async function createFhirClient(settings: FhirSettings, baseUrl = settings.baseUrl): Promise<Client> {
  const { Client: FhirKitClient } = await import('fhir-kit-client');
  const bearerToken = settings.auth.kind === 'bearer' ? settings.auth.token : undefined;
  const client = new FhirKitClient({ baseUrl, ...(bearerToken ? { bearerToken } : {}) });
  return perCall(client, settings.requestTimeoutMs, settings.auth.kind === 'smart-backend' ? smartBackendTokens(settings.auth) : undefined);
}

/**
 * Every request gets its own timeout (a signal made per call, so a long-lived client never inherits an expired
 * one) and, with SMART auth, a current token (fetched, or renewed shortly before it expires).
 */
function perCall(client: Client, timeoutMs: number, tokens: TokenProvider | undefined): Client {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (params?: unknown, ...rest: unknown[]) => {
        if (tokens) target.bearerToken = await tokens.token();
        const withSignal =
          typeof params === 'object' && params !== null
            ? { ...params, options: { signal: AbortSignal.timeout(timeoutMs), ...(params as { options?: object }).options } }
            : params;
        return (value as (...a: unknown[]) => unknown).apply(target, [withSignal, ...rest]);
      };
    },
  });
}

export async function readCapabilityStatement(client: Client): Promise<CapabilityStatement> {
  const resource: unknown = await client.capabilityStatement();
  if (!isCapabilityStatement(resource)) throw new Error('the server did not return a CapabilityStatement from /metadata');
  return resource;
}
