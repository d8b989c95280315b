// fhir-kit-client for the configured FHIR server. The package is ESM-only, hence the dynamic import.
import type { Client } from 'fhir-kit-client';
import type { CapabilityStatement } from '@medplum/fhirtypes';
import { isCapabilityStatement } from '../../../fhir';
import type { FhirSettings } from '../../protocol';

export async function createFhirClient(settings: FhirSettings, baseUrl = settings.baseUrl): Promise<Client> {
  const { Client: FhirKitClient } = await import('fhir-kit-client');
  const bearerToken = settings.auth.kind === 'bearer' ? settings.auth.token : undefined;
  return new FhirKitClient({
    baseUrl,
    ...(bearerToken ? { bearerToken } : {}),
    requestOptions: { signal: AbortSignal.timeout(settings.requestTimeoutMs) },
  });
}

export async function readCapabilityStatement(client: Client): Promise<CapabilityStatement> {
  const resource: unknown = await client.capabilityStatement();
  if (!isCapabilityStatement(resource)) throw new Error('the server did not return a CapabilityStatement from /metadata');
  return resource;
}
