// The FHIR gold dataset format: gold codes from confirmed ICD-10-CM Conditions, hidden from the engine's view.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGoldBundle } from '../../server/tooling/evaluate/goldBundle';
import { ROOT } from '../helpers/run';

describe('FHIR gold bundle dataset', () => {
  it('reads the committed synthetic gold set: every encounter with its notes, gold from confirmed ICD-10-CM Conditions', () => {
    const encounters = readGoldBundle(join(ROOT, 'eval', 'datasets', 'synthetic-gold.json'));
    assert.deepEqual(
      encounters.map((e) => [e.id, [...e.diagnoses]]),
      [
        ['synthetic-enc-chf', ['I50.23']],
        ['synthetic-enc-dm-ckd', ['E11.22', 'N18.31']],
        ['synthetic-enc-fracture', ['S52.301A', 'W11.XXXA']],
        ['synthetic-enc-paged', ['J18.9']],
      ],
    );
    const chf = encounters[0]!.view;
    assert.match(chf.notes[0]!.text, /Acute on chronic systolic heart failure/);
    assert.deepEqual(chf.conditions, [], 'the gold Conditions are not in the view the engine sees');
  });

  it('ignores unconfirmed Conditions and other code systems; says which file is not a Bundle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chartcoder-gold-'));
    const condition = (id: string, status: string, system: string, code: string) => ({
      resource: {
        resourceType: 'Condition',
        id,
        subject: { reference: 'Patient/p' },
        encounter: { reference: 'Encounter/e1' },
        verificationStatus: { coding: [{ code: status }] },
        code: { coding: [{ system, code }] },
      },
    });
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { resource: { resourceType: 'Patient', id: 'p' } },
        { resource: { resourceType: 'Encounter', id: 'e1', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'Patient/p' } } },
        condition('c1', 'confirmed', 'http://hl7.org/fhir/sid/icd-10-cm', 'e11.9'),
        condition('c2', 'provisional', 'http://hl7.org/fhir/sid/icd-10-cm', 'I10'),
        condition('c3', 'confirmed', 'http://snomed.info/sct', '38341003'),
      ],
    };
    writeFileSync(join(dir, 'gold.json'), JSON.stringify(bundle));
    const [e1] = readGoldBundle(join(dir, 'gold.json'));
    assert.deepEqual([...e1!.diagnoses], ['E11.9']);
    writeFileSync(join(dir, 'not.json'), JSON.stringify({ resourceType: 'Patient' }));
    assert.throws(() => readGoldBundle(join(dir, 'not.json')), /not\.json: expected a FHIR Bundle, found Patient/);
  });
});
