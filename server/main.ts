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
// The engine codes in a worker thread, so a long note never holds hovers, code actions or the status bar;
// CHARTCODER_ENGINE=in-process keeps it on this thread (debugging, and the baseline of bench lsp-responsiveness).
const app = openApp(settings, { projectRoot: findProjectRoot(), engine: process.env.CHARTCODER_ENGINE === 'in-process' ? 'in-process' : 'worker' });
const environment = { ...process.env };

startLanguageServer(connection, {
  app,
  user: userInfo().username,
  settingProblems,
  settingsFromEditor: (section) => settingsFromEditor(section, environment),
});
connection.onExit(() => app.close());
connection.listen();
