// Which open documents Chartcoder codes, and each one's encounter: a plain-text note (`*.note.txt`, or any
// plaintext document) is an encounter of one note whose offsets are the document's own.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { encounterOfNote, type EncounterView } from '../../fhir';

export const noteSourceId = (uri: string): string => `${uri}#0`;

export function isCodableDocument(document: TextDocument): boolean {
  return /\.note\.txt$/i.test(document.uri) || document.languageId === 'plaintext';
}

export function encounterOfDocument(document: TextDocument): EncounterView | undefined {
  if (!isCodableDocument(document)) return undefined;
  return encounterOfNote({ name: document.uri, text: document.getText() });
}
