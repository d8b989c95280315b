// Bad input for encounter assembly: each a clear error or warning naming the input or resource, never a crash.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { assembleEncounter, codeSetFiscalYear } from '../../fhir';
import { ChartcoderError } from '../../server/engine/errors';
import { readEncounter } from '../../server/app/readEncounter';
import { syntheticTransaction } from '../fixtures/fhir/syntheticEncounters';
import { localSettings } from '../helpers/settings';

const dir = mkdtempSync(join(tmpdir(), 'chartcoder-encounter-input-'));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const settings = localSettings();
const rejectsWith = (promise: Promise<unknown>, reason: string, message: RegExp) =>
  assert.rejects(promise, (err: unknown) => err instanceof ChartcoderError && err.reason === reason && message.test(err.message));

const resourcesOf = (bundle: Bundle): Resource[] => (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));

describe('encounter input', () => {
  it('code-set fiscal year turns on October 1', () => {
    assert.deepEqual(['2025-09-30', '2025-10-01', '2025-10-01T00:30:00-05:00', '2026-01-15', 'garbage'].map(codeSetFiscalYear), [
      2025,
      2026,
      2026,
      2026,
      undefined,
    ]);
  });

  it('a Bundle file assembles the named encounter', async () => {
    const path = file('synthetic.json', JSON.stringify(syntheticTransaction()));
    const view = await readEncounter(settings, { kind: 'bundle', path, id: 'synthetic-enc-dm-ckd' });
    assert.equal(view.encounter.setting, 'outpatient');
    assert.equal(view.encounter.fiscalYear, 2026);
    assert.match(view.notes[0]!.text, /Type 2 diabetes mellitus with diabetic chronic kidney disease/);
  });

  it('invalid JSON, a non-Bundle, a Bundle without an Encounter, several Encounters, an unknown id', async () => {
    await rejectsWith(
      readEncounter(settings, { kind: 'bundle', path: file('broken.json', '{"resourceType": "Bundle",') }),
      'bad-input',
      /broken\.json: not valid JSON/,
    );
    await rejectsWith(
      readEncounter(settings, { kind: 'bundle', path: file('patient.json', '{"resourceType":"Patient"}') }),
      'bad-input',
      /patient\.json: expected a FHIR Bundle, found Patient/,
    );
    await rejectsWith(
      readEncounter(settings, { kind: 'bundle', path: file('empty.json', '{"resourceType":"Bundle","type":"collection","entry":[]}') }),
      'bad-input',
      /empty\.json: the input has no Encounter/,
    );
    const all = file('all.json', JSON.stringify(syntheticTransaction()));
    await rejectsWith(readEncounter(settings, { kind: 'bundle', path: all }), 'bad-input', /all\.json: the input has 4 Encounters/);
    await rejectsWith(readEncounter(settings, { kind: 'bundle', path: all, id: 'nope' }), 'not-found', /all\.json: no Encounter\/nope/);
    await rejectsWith(readEncounter(settings, { kind: 'bundle', path: join(dir, 'missing.json') }), 'bad-input', /missing\.json: no such file/);
  });

  it('a 5 MB note is refused with its size; non-UTF-8 bytes are replaced and reported', async () => {
    await rejectsWith(
      readEncounter(settings, { kind: 'note', path: file('huge.txt', 'x'.repeat(5 * 1024 * 1024)) }),
      'bad-input',
      /huge\.txt: 5242880 bytes is over the 4000000-byte limit/,
    );
    const view = await readEncounter(settings, {
      kind: 'note',
      path: file('latin1.txt', Buffer.from('Fiebre y tos en el ni\xf1o.', 'latin1')),
      date: '2025-10-01',
    });
    assert.equal(view.encounter.fiscalYear, 2026);
    assert.ok(view.notes[0]!.text.includes('\uFFFD'));
    assert.deepEqual(view.warnings, ['file:latin1.txt#0: not valid UTF-8: undecodable bytes were replaced with U+FFFD']);
  });

  it('an unsupported content type, missing data and an unreadable Binary are warnings naming the resource', () => {
    const bundle = syntheticTransaction();
    const resources = resourcesOf(bundle).map((r) =>
      r.resourceType === 'DocumentReference' && r.id === 'synthetic-note-dm-ckd'
        ? {
            ...r,
            content: [
              { attachment: { contentType: 'application/pdf', data: 'JVBERi0=' } },
              { attachment: { contentType: 'text/plain' } },
              { attachment: { contentType: 'text/plain', url: 'Binary/gone' } },
            ],
          }
        : r,
    );
    const result = assembleEncounter(resources, 'synthetic-enc-dm-ckd');
    assert.ok('view' in result);
    assert.deepEqual(result.view.warnings, [
      'DocumentReference/synthetic-note-dm-ckd#0: skipped: content type application/pdf is not supported (text/plain, text/html)',
      'DocumentReference/synthetic-note-dm-ckd#1: skipped: no data and no url',
      'DocumentReference/synthetic-note-dm-ckd#2: skipped: Binary/gone could not be read',
      'Encounter/synthetic-enc-dm-ckd: no readable notes',
    ]);
  });
});
