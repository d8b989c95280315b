// Composition root of the language server: settings → adapters → lsp features. Stdio or IPC (vscode-languageclient).
import { createConnection, ProposedFeatures, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { loadSettings } from './config/load';
import { registerServiceStatus } from './lsp/serviceStatus';

const connection = createConnection(ProposedFeatures.all);
const settings = loadSettings();

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
  serverInfo: { name: 'chartcoder', version: '0.1.0' },
}));

registerServiceStatus(connection, () => settings);
connection.listen();
