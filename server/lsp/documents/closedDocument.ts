// A file that is not open in the editor, read from disk as the document the editor would open (for reviewing a folder
// of encounters): JSON by its extension, plain text otherwise; size-limited; a clear error when it cannot be read.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { decodeUtf8 } from '../../../fhir';
import { MAX_FILE_BYTES, readBytes } from '../../app/readEncounter';
import { ChartcoderError } from '../../engine/errors';

export function readClosedDocument(uri: string): TextDocument {
  const parsed = URI.parse(uri);
  if (parsed.scheme !== 'file') throw new ChartcoderError('bad-input', `${uri}: only files can be coded without opening them`);
  const path = parsed.fsPath;
  return TextDocument.create(uri, /\.json$/i.test(path) ? 'json' : 'plaintext', 0, decodeUtf8(readBytes(path, MAX_FILE_BYTES)).text);
}
