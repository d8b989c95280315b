// Keeps the house honest: who may import what (ARCHITECTURE.md, "Import directions").
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from '../helpers/run';

const SDKS = ['@elastic/elasticsearch', 'ollama', 'fhir-kit-client'];
/** Libraries the pure core may use: no I/O, no platform. Adding one here is a design decision. */
const PURE_LIBRARIES = ['@medplum/fhirtypes', 'stemmer', 'sentence-splitter', 'htmlparser2'];

function sourceFiles(dir: string): string[] {
  const abs = join(ROOT, dir);
  let entries: string[];
  try {
    entries = readdirSync(abs);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(abs, name);
    if (statSync(path).isDirectory()) return sourceFiles(relative(ROOT, path));
    return name.endsWith('.ts') ? [path] : [];
  });
}

interface Import {
  readonly file: string;
  readonly specifier: string;
  readonly target?: string;
}

function importsOf(dir: string): Import[] {
  return sourceFiles(dir).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2] ?? '');
    return specifiers.map((specifier) => ({
      file: relative(ROOT, file),
      specifier,
      ...(specifier.startsWith('.') ? { target: relative(ROOT, resolve(dirname(file), specifier)) } : {}),
    }));
  });
}

function offenders(dir: string, allowed: (i: Import) => boolean): string[] {
  return importsOf(dir)
    .filter((i) => !allowed(i))
    .map((i) => `${i.file} imports ${i.specifier}`);
}

const inside = (i: Import, ...dirs: string[]) => i.target !== undefined && dirs.some((d) => i.target === d || i.target!.startsWith(d + '/'));

describe('import directions', () => {
  it('finds the sources it checks', () => {
    assert.ok(importsOf('server').length > 10);
    assert.ok(importsOf('fhir').length > 0);
  });

  it('fhir/ imports nothing internal, no node and no vscode: only FHIR types', () => {
    assert.deepEqual(
      offenders('fhir', (i) => inside(i, 'fhir') || i.specifier === '@medplum/fhirtypes'),
      [],
    );
  });

  it('server/engine/ imports only itself, fhir/ and its ports', () => {
    assert.deepEqual(
      offenders('server/engine', (i) => inside(i, 'server/engine', 'fhir') || PURE_LIBRARIES.includes(i.specifier)),
      [],
    );
  });

  it('SDKs appear only in server/adapters/ (and the test infrastructure)', () => {
    const sdkUse = (dir: string) => importsOf(dir).filter((i) => SDKS.includes(i.specifier) && !i.file.startsWith('server/adapters/'));
    assert.deepEqual(
      sdkUse('server').map((i) => i.file),
      [],
    );
    assert.deepEqual(
      sdkUse('fhir').map((i) => i.file),
      [],
    );
    assert.deepEqual(
      sdkUse('extension').map((i) => i.file),
      [],
    );
  });

  it('extension/ reaches the server only through server/protocol.ts', () => {
    assert.deepEqual(
      offenders('extension', (i) => !i.target || inside(i, 'extension', 'fhir') || i.target === 'server/protocol'),
      [],
    );
  });

  // The editor's and the integrator's features see the application only through its ports: adapters, wiring and
  // tooling are built by server/app/openApp.ts and handed in.
  const FEATURE_DIRS = ['server/lsp', 'server/http'] as const;
  for (const dir of FEATURE_DIRS) {
    it(`${dir}/ imports only itself, the engine, protocol.ts, fhir/ and app/ports`, () => {
      assert.deepEqual(
        offenders(dir, (i) => !i.target || inside(i, dir, 'server/engine', 'fhir') || i.target === 'server/protocol' || i.target === 'server/app/ports'),
        [],
      );
    });
  }

  it('the runtime never imports the tooling (commands, bench, evaluate, train, provision)', () => {
    const runtime = ['server/app', 'server/lsp', 'server/http', 'server/adapters', 'server/engine', 'server/config', 'server/indexing', 'server/knowledge'];
    assert.deepEqual(
      runtime.flatMap((dir) => offenders(dir, (i) => !inside(i, 'server/tooling'))),
      [],
    );
  });

  it('lsp/ and http/ never import each other', () => {
    assert.deepEqual(
      offenders('server/lsp', (i) => !inside(i, 'server/http')),
      [],
    );
    assert.deepEqual(
      offenders('server/http', (i) => !inside(i, 'server/lsp')),
      [],
    );
  });
});
