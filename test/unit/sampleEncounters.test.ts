import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticTransaction } from '../fixtures/fhir/syntheticEncounters';
import { ROOT } from '../helpers/run';

describe('the sample the main job codes', () => {
  it('data/samples/synthetic-encounters.json is the synthetic fixture, unchanged', () => {
    assert.deepEqual(JSON.parse(readFileSync(join(ROOT, 'data/samples/synthetic-encounters.json'), 'utf8')), syntheticTransaction());
  });
});
