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

/** The entries of a search or transaction Bundle that are resources (entries without one, or junk, are skipped). */
export const bundleResources = (bundle: Bundle): Resource[] => (bundle.entry ?? []).flatMap((e) => (e.resource && isResource(e.resource) ? [e.resource] : []));
