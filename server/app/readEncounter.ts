// The three ways an encounter arrives — a FHIR server (base URL + Encounter id), a Bundle JSON file, a plain-text
// note — each cleaned once into an EncounterView, with a clear error naming the input when it cannot be.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { assembleEncounter, decodeUtf8, encounterOfNote, isBundle, MAX_NOTE_CHARS, type EncounterView } from '../../fhir';
import { createFhirClient } from '../adapters/fhir/client';
import { fetchEncounter } from '../adapters/fhir/fetchEncounter';
import { ChartcoderError } from '../engine/errors';
import { MAX_FILE_BYTES, type ChartcoderSettings } from '../protocol';
import type { Resource } from '@medplum/fhirtypes';

export type EncounterInput =
  | { readonly kind: 'fhir'; readonly baseUrl: string; readonly id: string }
  | { readonly kind: 'bundle'; readonly path: string; readonly id?: string }
  | { readonly kind: 'note'; readonly path: string; readonly date?: string };

/** A file's bytes, with a clear error when it is missing or over the limit. */
export function readBytes(path: string, limit: number): Buffer {
  const size = statSync(path, { throwIfNoEntry: false })?.size;
  if (size === undefined) throw new ChartcoderError('bad-input', `${path}: no such file`);
  if (size > limit) throw new ChartcoderError('bad-input', `${path}: ${size} bytes is over the ${limit}-byte limit`);
  return readFileSync(path);
}

function fromResources(
  resources: Parameters<typeof assembleEncounter>[0],
  id: string | undefined,
  where: string,
  extraWarnings: readonly string[] = [],
): EncounterView {
  const result = assembleEncounter(resources, id);
  if ('problem' in result) throw new ChartcoderError(result.problem === 'unknown-encounter' ? 'not-found' : 'bad-input', `${where}: ${result.message}`);
  return { ...result.view, warnings: [...extraWarnings, ...result.view.warnings] };
}

/** The resources of a Bundle JSON file, with a clear error when it is not one. */
export function readBundleResources(path: string): Resource[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readBytes(path, MAX_FILE_BYTES).toString('utf8'));
  } catch (err) {
    if (err instanceof ChartcoderError) throw err;
    throw new ChartcoderError('bad-input', `${path}: not valid JSON (${(err as Error).message})`);
  }
  if (!isBundle(parsed))
    throw new ChartcoderError(
      'bad-input',
      `${path}: expected a FHIR Bundle, found ${(parsed as { resourceType?: string })?.resourceType ?? 'no resourceType'}`,
    );
  return (parsed.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
}

const readBundle = (path: string, id: string | undefined): EncounterView => fromResources(readBundleResources(path), id, path);

/** An encounter of already-read resources (a Bundle's), as a file input would give it. */
export const encounterOfResources = (resources: readonly Resource[], id: string, where: string): EncounterView => fromResources(resources, id, where);

function readNote(path: string, date: string | undefined): EncounterView {
  const bytes = readBytes(path, MAX_NOTE_CHARS * 4);
  const { text, invalidUtf8 } = decodeUtf8(bytes);
  if (text.length > MAX_NOTE_CHARS)
    throw new ChartcoderError('bad-input', `${path}: ${text.length} characters is over the ${MAX_NOTE_CHARS}-character note limit`);
  const name = `file:${basename(path)}`;
  return encounterOfNote({
    name,
    text,
    contentType: /\.html?$/i.test(path) ? 'text/html' : 'text/plain',
    ...(date ? { date } : {}),
    warnings: invalidUtf8 ? [`${name}#0: not valid UTF-8: undecodable bytes were replaced with U+FFFD`] : [],
  });
}

export async function readEncounter(settings: ChartcoderSettings, input: EncounterInput): Promise<EncounterView> {
  switch (input.kind) {
    case 'note':
      return readNote(input.path, input.date);
    case 'bundle':
      return readBundle(input.path, input.id);
    case 'fhir': {
      const client = await createFhirClient(settings.fhir, input.baseUrl);
      const fetched = await fetchEncounter(client, input.id, { pageSize: 50, maxPages: 20 });
      return fromResources(fetched.resources, input.id, `${input.baseUrl}/Encounter/${input.id}`, fetched.warnings);
    }
  }
}
