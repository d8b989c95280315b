// `chartcoder-guidance:` documents: the tabular entry, index entry or guideline section a suggestion cites, read
// from the knowledge index the suggestion was retrieved from; and the hover links that open them in VS Code.
import type { Connection } from 'vscode-languageserver/node';
import { ChartcoderError } from '../engine/errors';
import { guidanceIdOf } from '../engine/suggest/guidance';
import { guidanceMarkdown } from '../engine/suggest/guidanceDocument';
import { Commands, Methods, type GuidanceDocumentParams } from '../protocol';
import type { Suggester } from '../app/ports';
import { answering } from './responseErrors';

/** A hover link that runs the client's open-guidance command (a bare custom-scheme link is not followed in hovers). */
export const openGuidanceLink = (link: string): string =>
  `command:${Commands.openGuidance}?${encodeURIComponent(JSON.stringify([link])).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;

export async function guidanceDocument(suggester: Suggester, uri: string): Promise<string> {
  const id = guidanceIdOf(uri);
  if (!id) throw new ChartcoderError('bad-input', `${uri} is not a guidance link (chartcoder-guidance:/<id>)`);
  const { doc, indexVersion } = await suggester.guidanceDocument(id, AbortSignal.timeout(10_000));
  if (!doc)
    throw new ChartcoderError(
      'not-found',
      `guidance ${id} is not in the knowledge index ${indexVersion} ` + `(the suggestion may come from an older index: code the document again)`,
    );
  return guidanceMarkdown(doc);
}

export function registerGuidanceDocuments(connection: Connection, suggester: () => Promise<Suggester>): void {
  connection.onRequest(
    Methods.guidanceDocument,
    answering(async (params: GuidanceDocumentParams) => guidanceDocument(await suggester(), params.uri)),
  );
}
