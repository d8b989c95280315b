// Composition root of the language server: settings → adapters → lsp features. Stdio or IPC (vscode-languageclient).
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { openCoderStores } from './adapters/stores/coderStores';
import { loadSettings } from './config/load';
import { encounterFinder, encounterLoader } from './encounter/encounterSources';
import { startLanguageServer } from './lsp/languageServer';
import { findProjectRoot } from './provision/scripts';
import { adapterVersionOf } from './suggest/modelCards';
import { openSuggester, type Suggester } from './suggest/openSuggester';

const connection = createConnection(ProposedFeatures.all);
const settings = loadSettings();
let suggester: Promise<Suggester> | undefined;
const stores = openCoderStores(join(settings.cacheDir, 'decisions'));

startLanguageServer(connection, {
  settings: () => settings,
  // A failed open (index not built yet, cluster down) is tried again on the next document rather than kept.
  suggester: () => (suggester ??= openSuggester(settings, { projectRoot: findProjectRoot() }).catch((err: unknown) => { suggester = undefined; throw err; })),
  decisions: stores.decisions,
  cdiQueries: stores.cdiQueries,
  loadEncounter: encounterLoader(() => settings),
  findEncounters: encounterFinder(() => settings),
  user: userInfo().username,
  adapterVersion: () => adapterVersionOf(findProjectRoot(), settings.ollama.tunedModel),
});
connection.onExit(() => stores.close());
connection.listen();
