// Which open documents Chartcoder codes, and the encounter each one shows: `chartcoder:` encounter documents, FHIR
// JSON (`*.fhir.json`, or JSON whose resourceType is Bundle or Encounter), and plain-text notes.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ENCOUNTER_SCHEME } from '../protocol';
import type { DocumentEncounter } from './documents/documentEncounter';
import { FHIR_JSON_FILE, fhirJsonDocument } from './documents/fhirJsonDocument';
import { noteDocument } from './documents/noteDocument';
import type { VirtualEncounters } from './documents/virtualEncounters';

export type DocumentEncounters = (document: TextDocument) => DocumentEncounter | undefined;

export function documentEncounters(virtual: VirtualEncounters): DocumentEncounters {
  return (document) => {
    const { uri } = document;
    if (uri.startsWith(`${ENCOUNTER_SCHEME}:`)) return virtual.documentOf(uri, document.getText());
    if (FHIR_JSON_FILE.test(uri) || document.languageId === 'json') return fhirJsonDocument(uri, document.getText());
    if (/\.note\.txt$/i.test(uri) || document.languageId === 'plaintext') return noteDocument(uri, document.getText());
    return undefined;
  };
}
