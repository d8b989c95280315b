// Documents in and out of the analysis: an edit reschedules it, a close forgets it; a file that is not open is read
// and coded on request (reviewing a folder of encounters); `chartcoder:` encounter documents are rendered from the
// FHIR server or a Bundle file, and the FHIR server is searched for encounters to open.
import { ChartcoderError } from '../engine/errors';
import { Methods, type CodeDocumentParams, type EncounterDocumentParams, type FindEncountersParams } from '../protocol';
import { readClosedDocument } from './documents/closedDocument';
import { answering } from './responseErrors';
import type { Session } from './session';

export function registerDocumentFeatures(session: Session): void {
  const { connection, documents, analyzer, virtual, deps } = session;
  documents.onDidChangeContent((change) => void session.analyze(change.document));
  documents.onDidClose((event) => {
    analyzer.forget(event.document.uri);
    virtual.forget(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });
  connection.onRequest(
    Methods.codeDocument,
    answering(async (params: CodeDocumentParams) => {
      const open = documents.get(params.uri);
      // An open document's analysis is current for its version; a closed file is read and coded again each time.
      if (open && analyzer.latest(params.uri)?.version === open.version) return session.answerFor(params.uri);
      const document = open ?? readClosedDocument(params.uri);
      if (!(await analyzer.schedule(document, 0)))
        throw new ChartcoderError('bad-input', `${params.uri} is not a note or FHIR encounter Chartcoder codes, or it changed while being coded`);
      session.publish(params.uri);
      return session.answerFor(params.uri);
    }),
  );
  connection.onRequest(
    Methods.encounterDocument,
    answering((params: EncounterDocumentParams) => virtual.render(params.uri)),
  );
  connection.onRequest(
    Methods.findEncounters,
    answering((params: FindEncountersParams) => deps.app.findEncounters(params.text)),
  );
}
