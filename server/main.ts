// The language server's entry: settings → the app (openApp, the composition root) → lsp features. Stdio or IPC
// (vscode-languageclient).
import { userInfo } from 'node:os';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { openApp } from './app/openApp';
import { findProjectRoot } from './app/projectRoot';
import { loadSettingsTolerantly } from './config/load';
import { startLanguageServer } from './lsp/languageServer';

const connection = createConnection(ProposedFeatures.all);
// A bad setting must not stop the server: it is left out (its default applies) and shown once, naming it.
const { settings, problems: settingProblems } = loadSettingsTolerantly();
const app = openApp(settings, { projectRoot: findProjectRoot() });

startLanguageServer(connection, { ...app, settings: () => settings, user: userInfo().username, settingProblems });
connection.onExit(() => app.close());
connection.listen();
