// One set of settings from the editor to the server: each setting the extension contributes (package.json) is passed
// through the variable the server reads, to a path the server's schema knows; the editor-only ones stay in the editor.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EDITOR_SETTINGS, SECRET_SETTINGS } from '../../server/protocol';
import { ENV_SETTINGS } from '../../server/config/load';
import { parseSettings } from '../../server/config/schema';
import { ROOT } from '../helpers/run';

const EDITOR_ONLY = ['mode', 'minimumConfidence', 'notePattern'];
const contributed = Object.keys(
  (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, unknown> } } }).contributes
    .configuration.properties,
).map((k) => k.replace(/^chartcoder\./, ''));

describe('settings contract (package.json, extension, server)', () => {
  it('every contributed setting is an editor-only one or one the extension passes to the server', () => {
    const passed = EDITOR_SETTINGS.map((s) => s.key);
    assert.deepEqual(contributed.filter((k) => !EDITOR_ONLY.includes(k)).sort(), [...passed].sort());
  });

  it('each passed setting travels by the variable the server reads, to a path its schema accepts', () => {
    const serverPaths = new Map(ENV_SETTINGS.map(([env, path]) => [env, path]));
    for (const s of [...EDITOR_SETTINGS, ...SECRET_SETTINGS.filter((x) => x.key !== 'fhir.token')]) {
      assert.equal(serverPaths.get(s.env), s.key, `${s.key} is read from ${s.env}`);
    }
    for (const s of EDITOR_SETTINGS) {
      const raw: Record<string, unknown> = { cacheDir: '/tmp/x' };
      let node = raw;
      const keys = s.key.split('.');
      for (const k of keys.slice(0, -1)) node = node[k] = {} as Record<string, unknown>;
      node[keys.at(-1)!] =
        s.key.endsWith('url') || s.key.endsWith('Url') || s.key.endsWith('host') ? 'http://127.0.0.1:1' : s.key === 'cacheDir' ? '/tmp/x' : 'chartcoder-base';
      assert.ok(!(parseSettings(raw) instanceof Error), `${s.key}: ${String(parseSettings(raw))}`);
    }
  });
});
