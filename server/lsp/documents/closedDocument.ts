// A file that is not open in the editor, read from disk as the document the editor would open (for reviewing a folder
// of encounters): JSON by its extension, plain text otherwise; size-limited; a clear error when it cannot be read.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { decodeUtf8 } from '../../../fhir';
import { readFileSync, statSync } from 'node:fs';
import { ChartcoderError } from '../../engine/errors';
import { MAX_FILE_BYTES } from '../../protocol';

export function readClosedDocument(uri: string): TextDocument {
  const parsed = URI.parse(uri);
  if (parsed.scheme !== 'file') throw new ChartcoderError('bad-input', `${uri}: only files can be coded without opening them`);
  const path = parsed.fsPath;
  const size = statSync(path, { throwIfNoEntry: false })?.size;
  if (size === undefined) throw new ChartcoderError('bad-input', `${path}: no such file`);
  if (size > MAX_FILE_BYTES) throw new ChartcoderError('bad-input', `${path}: ${size} bytes is over the ${MAX_FILE_BYTES}-byte limit`);
  return TextDocument.create(uri, /\.json$/i.test(path) ? 'json' : 'plaintext', 0, decodeUtf8(readFileSync(path)).text);
}
