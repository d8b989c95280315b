// fhir-kit-client for the configured FHIR server. The package is ESM-only, hence the dynamic import.
import type { Client } from 'fhir-kit-client';
import type { CapabilityStatement } from '@medplum/fhirtypes';
import { isCapabilityStatement } from '../../../fhir';
import type { FhirSettings } from '../../protocol';
import { smartBackendTokens, type TokenProvider } from './smartBackendAuth';

export async function createFhirClient(settings: FhirSettings, baseUrl = settings.baseUrl): Promise<Client> {
  const { Client: FhirKitClient } = await import('fhir-kit-client');
  const bearerToken = settings.auth.kind === 'bearer' ? settings.auth.token : undefined;
  const client = new FhirKitClient({
    baseUrl,
    ...(bearerToken ? { bearerToken } : {}),
    requestOptions: { signal: AbortSignal.timeout(settings.requestTimeoutMs) },
  });
  return settings.auth.kind === 'smart-backend' ? withTokens(client, smartBackendTokens(settings.auth)) : client;
}

/** Every call first sets a current token (fetched, or renewed shortly before it expires). */
function withTokens(client: Client, tokens: TokenProvider): Client {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        target.bearerToken = await tokens.token();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

export async function readCapabilityStatement(client: Client): Promise<CapabilityStatement> {
  const resource: unknown = await client.capabilityStatement();
  if (!isCapabilityStatement(resource)) throw new Error('the server did not return a CapabilityStatement from /metadata');
  return resource;
}
