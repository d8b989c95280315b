// One set of heavy suggester parts (code book, index, lexicon) per backend for the whole integration run: test
// files share them instead of each loading the FY2026 index again.
import type { BackendKind } from '../../server/indexing/buildIndex';
import type { ChartcoderSettings } from '../../server/protocol';
import { openSuggester, openSuggesterParts, type OpenedSuggester as Suggester, type SuggesterParts } from '../../server/app/openSuggester';
import { cli, ROOT } from './run';
import { localSettings } from './settings';

const parts = new Map<BackendKind, Promise<SuggesterParts>>();

/** `chartcoder index build` as a user runs it: a no-op when the backend's index is up to date. */
export async function buildIndexOf(backend: BackendKind): Promise<void> {
  const built = await cli(['index', 'build', '--backend', backend], process.env, true);
  if (built.code !== 0) throw new Error(`chartcoder index build --backend ${backend} exited ${built.code}: ${built.stderr.slice(-500)}`);
}

/** Builds the backend's index first when needed, then opens its parts once for the whole run. */
export function sharedParts(backend: BackendKind): Promise<SuggesterParts> {
  let opened = parts.get(backend);
  if (!opened) {
    opened = buildIndexOf(backend).then(() => openSuggesterParts(localSettings(), { projectRoot: ROOT, backend }));
    parts.set(backend, opened);
  }
  return opened;
}

/** A suggester over the shared parts; `settings` may differ (models, hosts) from the local ones. */
export async function sharedSuggester(backend: BackendKind = 'embedded', settings: ChartcoderSettings = localSettings()): Promise<Suggester> {
  return openSuggester(settings, { projectRoot: ROOT, parts: await sharedParts(backend) });
}
