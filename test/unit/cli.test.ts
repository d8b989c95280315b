import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastLine, ROOT, run } from '../helpers/run';

const cliSource = join(ROOT, 'server', 'cli.ts');
const cli = (args: string[], env: NodeJS.ProcessEnv = process.env) => run(process.execPath, ['--import', 'tsx', cliSource, ...args], env);

describe('cli', () => {
  it('rejects an unknown service with a usage error', async () => {
    const r = await cli(['services', 'start', 'postgres']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /expected es, ollama, fhir or all/);
  });

  it('reports invalid settings in one line and exits 2', async () => {
    const r = await cli(['health'], { ...process.env, CHARTCODER_ES_PORT: 'not-a-port' });
    assert.equal(r.code, 2);
    assert.match(lastLine(r.stderr), /^chartcoder: invalid settings \(environment\): localPorts\.elasticsearch: /);
  });

  it('reports each service as down, with a fix, when nothing runs there', async () => {
    const env = { ...process.env, CHARTCODER_ES_PORT: '1', CHARTCODER_OLLAMA_PORT: '2', CHARTCODER_FHIR_PORT: '3' };
    const r = await cli(['health', '--json'], env);
    assert.equal(r.code, 3);
    const health = JSON.parse(r.stdout) as { service: string; state: string; fix?: string }[];
    assert.deepEqual(
      health.map((h) => [h.service, h.state]),
      [
        ['elasticsearch', 'down'],
        ['ollama', 'down'],
        ['fhir', 'down'],
      ],
    );
    assert.ok(health.every((h) => h.fix?.startsWith('run: chartcoder services start')));
  });

  it('kb import: a folder without an order file is a one-line error', async () => {
    const r = await cli(['kb', 'import', mkdtempSync(join(tmpdir(), 'chartcoder-no-release-')), '--fy', '2027']);
    assert.equal(r.code, 1);
    assert.match(r.stderr.trim(), /^chartcoder: .* has no ICD-10-CM order file \(icd10cm-order-YYYY\.txt\)$/);
  });

  it('search: a missing index names the command that builds it', async () => {
    const r = await cli(['search', 'heart failure'], { ...process.env, CHARTCODER_CACHE_DIR: mkdtempSync(join(tmpdir(), 'chartcoder-empty-cache-')) });
    assert.equal(r.code, 1);
    assert.match(r.stderr.trim(), /^chartcoder: no embedded index at .*embedded-fy2026 \(run: chartcoder index build --backend embedded\)$/);
  });

  it('search: option values are checked before anything runs', async () => {
    const r = await cli(['search', 'x', '--system', 'icd9']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /expected a code system: icd10cm, icd10pcs, cpt, hcpcs, pcs/);
  });

  it('train lora: the device is auto, cpu or cuda, checked before anything runs', async () => {
    const r = await cli(['train', 'lora', '--device', 'tpu']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /expected a device: auto, cpu, cuda/);
  });
});
