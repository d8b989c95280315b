// A plain-text note is an encounter of one note whose offsets are the document's own.
import { encounterOfNote } from '../../../fhir/noteEncounter';
import type { DocumentEncounter } from './documentEncounter';

export function noteDocument(uri: string, text: string): DocumentEncounter {
  const sourceId = `${uri}#0`;
  return {
    subject: uri,
    view: encounterOfNote({ name: uri, text }),
    codes: [],
    evidenceLocation: (e) => (e.sourceId === sourceId ? { start: e.start, end: e.end, exact: true } : undefined),
  };
}
