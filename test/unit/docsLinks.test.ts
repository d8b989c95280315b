// The README a newcomer reads in five minutes, and docs/ whose links all resolve.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from '../helpers/run';

const pages = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

describe('README and docs', () => {
  it('the README is at most 8 KB and gives the two commands', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    assert.ok(statSync(join(ROOT, 'README.md')).size <= 8 * 1024, `${statSync(join(ROOT, 'README.md')).size} bytes`);
    assert.match(readme, /bash scripts\/main\.sh/);
    assert.match(readme, /bash scripts\/test\.sh/);
  });

  it('every relative link of the README and docs/ resolves to a file', () => {
    const broken: string[] = [];
    for (const page of pages) {
      const text = readFileSync(join(ROOT, page), 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.split('#')[0]!;
        if (!target || /^(https?|mailto):/.test(target)) continue;
        if (!existsSync(join(ROOT, dirname(page), decodeURIComponent(target)))) broken.push(`${page} → ${m[1]}`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it('the README links every page of docs/', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const page of pages.filter((p) => p !== 'README.md')) assert.ok(readme.includes(`(${page})`), `${page} is not linked from the README`);
  });
});
