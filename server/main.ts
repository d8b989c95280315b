// Composition root of the language server: settings → adapters → lsp features. Stdio or IPC (vscode-languageclient).
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { openCoderStores } from './adapters/stores/coderStores';
import { loadSettingsTolerantly } from './config/load';
import { encounterFinder, encounterLoader } from './app/encounterSources';
import { startLanguageServer } from './lsp/languageServer';
import { findProjectRoot } from './tooling/provision/scripts';
import { adapterVersionOf } from './app/modelCards';
import { lazyOpen } from './app/lazyOpen';
import { openSuggester } from './app/openSuggester';

const connection = createConnection(ProposedFeatures.all);
// A bad setting must not stop the server: it is left out (its default applies) and shown once, naming it.
const { settings, problems: settingProblems } = loadSettingsTolerantly();
// A failed open (index not built yet, cluster down) is tried again later (lazyOpen's backoff) rather than kept.
const suggester = lazyOpen(() => openSuggester(settings, { projectRoot: findProjectRoot() }));
const stores = openCoderStores(join(settings.cacheDir, 'decisions'));

startLanguageServer(connection, {
  settings: () => settings,
  suggester,
  decisions: stores.decisions,
  cdiQueries: stores.cdiQueries,
  loadEncounter: encounterLoader(() => settings),
  findEncounters: encounterFinder(() => settings),
  user: userInfo().username,
  settingProblems,
  adapterVersion: () => adapterVersionOf(findProjectRoot(), settings.ollama.tunedModel),
});
connection.onExit(() => stores.close());
connection.listen();
