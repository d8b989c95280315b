// Type guards for resources arriving as untrusted JSON.
import type { Bundle, CapabilityStatement, Encounter, Resource } from '@medplum/fhirtypes';

export function isResource(value: unknown): value is Resource {
  return typeof value === 'object' && value !== null && typeof (value as { resourceType?: unknown }).resourceType === 'string';
}

function isOfType<T extends Resource>(type: T['resourceType']) {
  return (value: unknown): value is T => isResource(value) && value.resourceType === type;
}

export const isBundle = isOfType<Bundle>('Bundle');
export const isEncounter = isOfType<Encounter>('Encounter');
export const isCapabilityStatement = isOfType<CapabilityStatement>('CapabilityStatement');
