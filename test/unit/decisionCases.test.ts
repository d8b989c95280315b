// Coders' decisions as training gold: where each subject is read again, and which codes a subject's decisions leave.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encounterOfNote } from '../../fhir';
import { openDecisionLog } from '../../server/adapters/stores/decisionLog';
import type { EncounterInput } from '../../server/app/readEncounter';
import type { Decision } from '../../server/protocol';
import { decisionCases, subjectInput } from '../../server/tooling/train/decisionCases';

const FHIR = 'http://127.0.0.1:8090/fhir';

describe('decisions as training gold', () => {
  it('reads each subject again from where it came: a note or JSON file, a Bundle encounter, the FHIR server; a CDS card names none', () => {
    assert.deepEqual(subjectInput('file:///work/notes/chf.note.txt', FHIR), { kind: 'note', path: '/work/notes/chf.note.txt' });
    assert.deepEqual(subjectInput('file:///work/enc.fhir.json', FHIR), { kind: 'bundle', path: '/work/enc.fhir.json' });
    assert.deepEqual(subjectInput('chartcoder:/Encounter/e2?bundle=/work/b.json', FHIR), { kind: 'bundle', path: '/work/b.json', id: 'e2' });
    assert.deepEqual(subjectInput('Encounter/synthetic-enc-chf', FHIR), { kind: 'fhir', baseUrl: FHIR, id: 'synthetic-enc-chf' });
    assert.equal(subjectInput('cds-card/abc', FHIR), undefined);
    assert.deepEqual(
      subjectInput('chartcoder:/Encounter/e2', FHIR),
      { kind: 'fhir', baseUrl: FHIR, id: 'e2' },
      "an encounter document without a Bundle shows the server's encounter",
    );
  });

  it('gold is the latest accepted or replacing ICD-10-CM code per suggestion; rejections, other code systems and unreadable subjects add none', async () => {
    const decisions = openDecisionLog(join(mkdtempSync(join(tmpdir(), 'chartcoder-decisions-')), 'decisions.jsonl'));
    const decide = (subject: string, suggestionId: string, action: Decision['action'], extra: Partial<Decision> = {}) =>
      decisions.record({ subject, suggestionId, action, user: 'synthetic-coder', time: '2026-12-01T00:00:00Z', provenance: {}, ...extra });
    decide('file:///w/a.note.txt', 'icd10cm|I50.23', 'accept');
    decide('file:///w/a.note.txt', 'icd10cm|I50.20', 'replace', { replacementCode: 'I50.22' });
    decide('file:///w/a.note.txt', 'icd10cm|R06.00', 'accept');
    decide('file:///w/a.note.txt', 'icd10cm|R06.00', 'reject', { reason: 'integral to another condition' });
    decide('file:///w/a.note.txt', 'icd10pcs|0DTJ4ZZ', 'accept');
    decide('file:///w/b.note.txt', 'icd10cm|J18.9', 'reject', { reason: 'ruled out' });
    decide('cds-card/x', 'icd10cm|E11.22', 'accept');
    decide('file:///w/gone.note.txt', 'icd10cm|E11.9', 'accept');
    const read = async (input: EncounterInput) => {
      if (input.kind === 'note' && input.path === '/w/gone.note.txt') throw new Error('/w/gone.note.txt: no such file');
      return encounterOfNote({ name: JSON.stringify(input), text: 'synthetic note' });
    };
    const found = await decisionCases({ decisions, fhirBaseUrl: FHIR, read });
    assert.deepEqual(
      found.cases.map((c) => [c.id, [...c.diagnoses]]),
      [['decisions:file:///w/a.note.txt', ['I50.23', 'I50.22']]],
    );
    assert.deepEqual(found.skipped, [
      { subject: 'cds-card/x', reason: 'names no encounter to read again' },
      { subject: 'file:///w/gone.note.txt', reason: '/w/gone.note.txt: no such file' },
    ]);
    decisions.close();
  });
});
