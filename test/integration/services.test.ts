import assert from 'node:assert/strict';
import { cli } from '../helpers/run';

describe('chartcoder services (second start)', () => {
  it('is cached, says so for each service, and reports every service up', async () => {
    const r = await cli(['services', 'start', 'all']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Elasticsearch already serving/);
    assert.match(r.stderr, /ollama already serving/);
    assert.match(r.stderr, /model chartcoder-base: cached/);
    assert.match(r.stderr, /model chartcoder-embed: cached/);
    assert.match(r.stderr, /FHIR test server already serving/);
    assert.match(r.stdout, /OK\s+elasticsearch .* version 8\.19\.\d+/);
    assert.match(r.stdout, /OK\s+ollama .* version 0\.24\.0/);
    assert.match(r.stdout, /OK\s+fhir .*\n\s+Medplum FHIR Router/);
  });
});
