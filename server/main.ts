// Composition root of the language server: settings → adapters → lsp features. Stdio or IPC (vscode-languageclient).
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { openDecisionLog } from './adapters/stores/decisionLog';
import { loadSettings } from './config/load';
import { startLanguageServer } from './lsp/languageServer';
import { findProjectRoot } from './provision/scripts';
import { openSuggester, type Suggester } from './suggest/openSuggester';

const connection = createConnection(ProposedFeatures.all);
const settings = loadSettings();
let suggester: Promise<Suggester> | undefined;

startLanguageServer(connection, {
  settings: () => settings,
  suggester: () => (suggester ??= openSuggester(settings, { projectRoot: findProjectRoot() })),
  decisions: openDecisionLog(join(settings.cacheDir, 'decisions', 'decisions.jsonl')),
  user: userInfo().username,
});
connection.listen();
