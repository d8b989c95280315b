import assert from 'node:assert/strict';
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
    assert.deepEqual(health.map((h) => [h.service, h.state]), [['elasticsearch', 'down'], ['ollama', 'down'], ['fhir', 'down']]);
    assert.ok(health.every((h) => h.fix?.startsWith('run: chartcoder services start')));
  });
});
