import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings } from '../../server/config/load';
import { ChartcoderError } from '../../server/engine/errors';

const root = mkdtempSync(join(tmpdir(), 'chartcoder-config-'));

function configFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'chartcoder-cfg-')), 'chartcoder.config.json');
  writeFileSync(path, content);
  return path;
}

function rejects(fn: () => unknown, reason: string, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof ChartcoderError && err.reason === reason && pattern.test(err.message));
}

describe('settings', () => {
  it('defaults to the embedded index, local test ports and the default models', () => {
    const s = loadSettings({ env: {}, projectRoot: root });
    assert.equal(s.elasticsearch.url, '');
    assert.deepEqual(s.localPorts, { elasticsearch: 9250, ollama: 11500, fhir: 8090 });
    assert.equal(s.ollama.host, 'http://127.0.0.1:11500');
    assert.equal(s.ollama.chatModel, 'chartcoder-base');
    assert.equal(s.ollama.embedModel, 'chartcoder-embed');
    assert.equal(s.cacheDir, join(root, '.cache'));
    assert.deepEqual(s.fhir.auth, { kind: 'none' });
  });

  it("never defaults to the ports of a user's own Elasticsearch or Ollama", () => {
    const s = loadSettings({ env: {}, projectRoot: root });
    assert.notEqual(s.localPorts.elasticsearch, 9200);
    assert.notEqual(s.localPorts.ollama, 11434);
  });

  it('reads a config file and lets the environment override it', () => {
    const path = configFile(JSON.stringify({ elasticsearch: { url: 'http://es.example.test:9200', indexPrefix: 'site' }, ollama: { chatModel: 'from-file' } }));
    const s = loadSettings({ configPath: path, env: { CHARTCODER_CHAT_MODEL: 'from-env', CHARTCODER_OLLAMA_PORT: '12000' }, projectRoot: root });
    assert.equal(s.elasticsearch.url, 'http://es.example.test:9200');
    assert.equal(s.elasticsearch.indexPrefix, 'site');
    assert.equal(s.ollama.chatModel, 'from-env');
    assert.equal(s.ollama.host, 'http://127.0.0.1:12000', 'the Ollama host follows the local port');
  });

  it('turns CHARTCODER_FHIR_TOKEN into bearer auth', () => {
    const s = loadSettings({ env: { CHARTCODER_FHIR_TOKEN: 'abc', CHARTCODER_FHIR_BASE_URL: 'https://ehr.example.test/fhir' }, projectRoot: root });
    assert.deepEqual(s.fhir.auth, { kind: 'bearer', token: 'abc' });
    assert.equal(s.fhir.baseUrl, 'https://ehr.example.test/fhir');
  });

  it('names every invalid field in one error', () => {
    rejects(
      () => loadSettings({ env: { CHARTCODER_ES_PORT: '70000', CHARTCODER_ES_URL: 'ftp://x' }, projectRoot: root }),
      'config-invalid',
      /localPorts\.elasticsearch: .*elasticsearch\.url: |elasticsearch\.url: .*localPorts\.elasticsearch: /,
    );
  });

  it('rejects unknown keys so typos do not pass silently', () => {
    rejects(() => loadSettings({ configPath: configFile('{"ollama":{"hots":"http://x"}}'), env: {}, projectRoot: root }), 'config-invalid', /hots/);
  });

  it('explains an unreadable or malformed file', () => {
    rejects(() => loadSettings({ configPath: join(root, 'missing.json'), env: {}, projectRoot: root }), 'config-unreadable', /missing\.json/);
    rejects(() => loadSettings({ configPath: configFile('{not json'), env: {}, projectRoot: root }), 'config-invalid', /not a JSON object/);
    rejects(() => loadSettings({ configPath: configFile('[1,2]'), env: {}, projectRoot: root }), 'config-invalid', /not a JSON object/);
  });

  it('validates SMART backend-services auth completely', () => {
    const path = configFile(JSON.stringify({ fhir: { auth: { kind: 'smart-backend', tokenUrl: 'https://ehr.example.test/token', clientId: 'c' } } }));
    rejects(() => loadSettings({ configPath: path, env: {}, projectRoot: root }), 'config-invalid', /fhir\.auth\.privateKeyPath/);
  });
});
