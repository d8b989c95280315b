// The language server on one connection, wired from its features: settings, documents → debounced analysis →
// diagnostics, what the editor shows of it, decisions and CDI queries, service status, guidance documents.
// Transport-free, so tests drive it in process over paired streams.
import type { Connection } from 'vscode-languageserver/node';
import { registerDecisionFeatures } from './decisionFeatures';
import { registerDocumentFeatures } from './documentFeatures';
import { registerGuidanceDocuments } from './guidanceDocuments';
import { registerServiceStatus } from './serviceStatus';
import { createSession, type LanguageServerDeps } from './session';
import { registerSettings, type EditorMode } from './settingsFeature';
import { registerViewFeatures } from './viewFeatures';

export type { LanguageServerDeps };

export function startLanguageServer(connection: Connection, deps: LanguageServerDeps): void {
  const editorMode: EditorMode = { current: undefined };
  const session = createSession(connection, deps, () => editorMode.current);
  registerSettings(session, editorMode);
  registerDocumentFeatures(session);
  registerViewFeatures(session);
  registerDecisionFeatures(session);
  registerServiceStatus(connection, () => deps.app.serviceHealth());
  registerGuidanceDocuments(connection, () => deps.app.suggester());
  session.documents.listen(connection);
}
