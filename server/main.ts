// The language server's entry: settings → the app (openApp, the composition root) → lsp features. Stdio or IPC
// (vscode-languageclient).
import { userInfo } from 'node:os';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { openApp } from './app/openApp';
import { findProjectRoot } from './app/projectRoot';
import { settingsFromEditor } from './config/editorSettings';
import { loadSettingsTolerantly } from './config/load';
import { startLanguageServer } from './lsp/languageServer';

const connection = createConnection(ProposedFeatures.all);
// A bad setting must not stop the server: it is left out (its default applies) and shown once, naming it.
const { settings, problems: settingProblems } = loadSettingsTolerantly();
const app = openApp(settings, { projectRoot: findProjectRoot() });
const environment = { ...process.env };

startLanguageServer(connection, {
  app,
  user: userInfo().username,
  settingProblems,
  settingsFromEditor: (section) => settingsFromEditor(section, environment),
});
connection.onExit(() => app.close());
connection.listen();
