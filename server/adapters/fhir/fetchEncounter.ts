// Everything about one encounter from a FHIR server through fhir-kit-client: the Encounter, its Patient and the
// patient's Coverage, the resources that point at it (paged with Bundle.link next), plus the Binaries notes refer
// to. A search that fails
// or runs past its page limit is reported as a partial fetch, not dropped silently.
import type { Client } from 'fhir-kit-client';
import type { Bundle, DiagnosticReport, DocumentReference, Encounter, Resource } from '@medplum/fhirtypes';
import { bundleResources, isResource } from '../../../fhir';
import { ChartcoderError } from '../../engine/errors';

const LINKED_TYPES = ['DocumentReference', 'DiagnosticReport', 'Composition', 'Condition', 'Procedure', 'Observation', 'MedicationRequest'] as const;

export interface FetchOptions {
  readonly pageSize: number;
  readonly maxPages: number;
}

export interface FetchedEncounter {
  readonly resources: Resource[];
  readonly warnings: string[];
}

const statusOf = (err: unknown): number | undefined => (err as { response?: { status?: number } }).response?.status;
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

async function readOrNull(client: Client, resourceType: string, id: string): Promise<Resource | undefined> {
  try {
    const resource: unknown = await client.read({ resourceType, id });
    return isResource(resource) ? resource : undefined;
  } catch (err) {
    const status = statusOf(err);
    if (status === 404 || status === 410) return undefined;
    if (status === 401 || status === 403)
      throw new ChartcoderError('unauthorized', `${resourceType}/${id}: the FHIR server refused the credentials (${status})`, { cause: err });
    throw err;
  }
}

async function searchAll(client: Client, resourceType: string, by: Record<string, string>, options: FetchOptions, warnings: string[]): Promise<Resource[]> {
  const out: Resource[] = [];
  const query = `${resourceType}?${Object.entries(by)
    .map(([k, v]) => `${k}=${v}`)
    .join('&')}`;
  try {
    let page = (await client.search({ resourceType, searchParams: { ...by, _count: String(options.pageSize) } })) as unknown as Bundle | undefined;
    for (let pages = 1; page; pages++) {
      out.push(...bundleResources(page));
      if (!page.link?.some((l) => l.relation === 'next')) break;
      if (pages >= options.maxPages) {
        warnings.push(`${query}: partial: stopped after ${pages} pages of ${options.pageSize}`);
        break;
      }
      page = (await client.nextPage({ bundle: page as never })) as unknown as Bundle | undefined;
    }
  } catch (err) {
    warnings.push(`${query}: partial: ${messageOf(err)}`);
  }
  return out;
}

const binaryId = (url: string | undefined): string | undefined => /(?:^|\/)Binary\/([A-Za-z0-9\-.]{1,64})$/.exec(url ?? '')?.[1];

export async function fetchEncounter(client: Client, encounterId: string, options: FetchOptions): Promise<FetchedEncounter> {
  let encounter: Resource | undefined;
  try {
    encounter = await readOrNull(client, 'Encounter', encounterId);
  } catch (err) {
    if (err instanceof ChartcoderError) throw err;
    throw new ChartcoderError('service-unavailable', `Encounter/${encounterId}: the FHIR server did not answer: ${messageOf(err)}`, { cause: err });
  }
  if (!encounter) throw new ChartcoderError('not-found', `Encounter/${encounterId} was not found on the FHIR server`);
  const warnings: string[] = [];
  const resources: Resource[] = [encounter];
  const patientId = /(?:^|\/)Patient\/([^/]+)$/.exec((encounter as Encounter).subject?.reference ?? '')?.[1];
  if (patientId) {
    const patient = await readOrNull(client, 'Patient', patientId).catch((err: unknown) => {
      warnings.push(`Patient/${patientId}: ${messageOf(err)}`);
      return undefined;
    });
    if (patient) resources.push(patient);
  }
  const encounterRef = `Encounter/${encounterId}`;
  const linked = await Promise.all(LINKED_TYPES.map((type) => searchAll(client, type, { encounter: encounterRef }, options, warnings)));
  resources.push(...linked.flat());
  if (patientId) resources.push(...(await searchAll(client, 'Coverage', { beneficiary: `Patient/${patientId}` }, options, warnings)));
  const urls = resources.flatMap((r) =>
    r.resourceType === 'DocumentReference'
      ? ((r as DocumentReference).content?.map((c) => c.attachment.url) ?? [])
      : r.resourceType === 'DiagnosticReport'
        ? ((r as DiagnosticReport).presentedForm?.map((a) => a.url) ?? [])
        : [],
  );
  for (const id of new Set(urls.map(binaryId).filter((id): id is string => !!id))) {
    const binary = await readOrNull(client, 'Binary', id).catch((err: unknown) => {
      warnings.push(`Binary/${id}: ${messageOf(err)}`);
      return undefined;
    });
    if (binary) resources.push(binary);
    else warnings.push(`Binary/${id}: not found`);
  }
  return { resources, warnings };
}
