// What the editor shows of a document's analysis: hover, code actions, CodeLens and the suggestions panel, all from
// the cached analysis of the version on screen.
import { Methods, type SuggestionsParams } from '../protocol';
import { codeActionsOf } from './codeActions';
import { codeLensesOf } from './codeLens';
import { hoverOf } from './hover';
import type { Session } from './session';

export function registerViewFeatures(session: Session): void {
  const { connection, deps } = session;
  connection.onHover((params) => {
    const c = session.current(params.textDocument.uri);
    return c ? hoverOf(c.document, c.analysis, params.position) : null;
  });
  connection.onCodeAction((params) => {
    const c = session.current(params.textDocument.uri);
    return c ? codeActionsOf(c.document, c.analysis, params.range) : [];
  });
  connection.onCodeLens((params) => {
    const c = session.current(params.textDocument.uri);
    return c ? codeLensesOf(c.document, c.analysis, deps.app.decisions.forSubject(c.analysis.encounter.subject)) : [];
  });
  connection.onRequest(Methods.suggestions, (params: SuggestionsParams) => session.answerFor(params.uri));
}
