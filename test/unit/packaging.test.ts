// The VSIX carries every bundle the extension runs: the extension, the language server and the coding worker the
// server starts (without it the editor's engine could not start). The CLI is not part of the extension.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/run';

describe('packaging', () => {
  it('.vscodeignore keeps every bundle esbuild writes but the CLI', () => {
    const outfiles = [...readFileSync(join(ROOT, 'esbuild.js'), 'utf8').matchAll(/outfile: '([^']+)'/g)].map((m) => m[1]!);
    assert.ok(outfiles.includes('dist/codingWorker.js') && outfiles.includes('dist/server.js'), outfiles.join(' '));
    const kept = readFileSync(join(ROOT, '.vscodeignore'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1));
    assert.deepEqual(
      outfiles.filter((f) => f !== 'dist/cli.js' && !kept.includes(f)),
      [],
    );
  });
});
