// One plain-text note as the smallest FHIR encounter a client can send: a Bundle with an inpatient Encounter and a
// DocumentReference carrying the note inline (base64), and the `$suggest-codes` Parameters around it.
import type { Bundle, Parameters } from '@medplum/fhirtypes';
import type { SuggestMode } from '../engine/suggest/suggestion';

export function noteBundle(note: string, ids: { encounter: string; document: string }): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      { resource: { resourceType: 'Encounter', id: ids.encounter, status: 'finished', class: { code: 'IMP' } } },
      {
        resource: {
          resourceType: 'DocumentReference',
          id: ids.document,
          status: 'current',
          context: { encounter: [{ reference: `Encounter/${ids.encounter}` }] },
          content: [{ attachment: { contentType: 'text/plain', data: Buffer.from(note).toString('base64') } }],
        },
      },
    ],
  };
}

export const suggestCodesParameters = (bundle: Bundle, mode: SuggestMode): Parameters => ({
  resourceType: 'Parameters',
  parameter: [
    { name: 'bundle', resource: bundle },
    { name: 'mode', valueCode: mode },
  ],
});
