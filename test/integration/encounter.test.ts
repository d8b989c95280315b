// Encounter assembly from the real FHIR test server through fhir-kit-client.
import assert from 'node:assert/strict';
import { assembleEncounter, type EncounterView } from '../../fhir';
import { createFhirClient } from '../../server/adapters/fhir/client';
import { fetchEncounter } from '../../server/adapters/fhir/fetchEncounter';
import { ChartcoderError } from '../../server/engine/errors';
import { processEncounter } from '../../server/engine/encounter/processEncounter';
import { fhirBaseUrl } from '../../server/app/health';
import { clinicalLexicon } from '../../server/knowledge/lexicon';
import { readRelease } from '../../server/knowledge/release';
import { cli, ROOT } from '../helpers/run';
import { localSettings } from '../helpers/settings';
import { join } from 'node:path';

describe('encounters from the FHIR test server', function () {
  this.timeout(60_000);
  const settings = localSettings();
  const client = () => createFhirClient(settings.fhir, fhirBaseUrl(settings));
  const lexicon = clinicalLexicon(readRelease(join(ROOT, 'data/fy2026.release.json')));
  const assemble = async (id: string, pageSize = 5, maxPages = 20): Promise<{ view: EncounterView; warnings: string[] }> => {
    const fetched = await fetchEncounter(await client(), id, { pageSize, maxPages });
    const result = assembleEncounter(fetched.resources, id);
    assert.ok('view' in result);
    return { view: result.view, warnings: fetched.warnings };
  };

  it('follows Bundle.link next across pages and reads base64 notes and a note stored as a Binary', async () => {
    const { view, warnings } = await assemble('synthetic-enc-paged', 5);
    assert.deepEqual(warnings, []);
    assert.equal(view.notes.length, 12);
    const binaryNote = view.notes.find((n) => n.reference === 'DocumentReference/synthetic-note-paged-12');
    assert.match(binaryNote?.text ?? '', /^Progress note day 12: community acquired pneumonia/);
    assert.equal(binaryNote?.id, 'DocumentReference/synthetic-note-paged-12#0');
  });

  it('gives setting, code-set fiscal year (Oct 1 boundary, discharge date), patient age at service and sex', async () => {
    const { view } = await assemble('synthetic-enc-paged');
    assert.deepEqual(view.encounter, {
      reference: 'Encounter/synthetic-enc-paged',
      setting: 'inpatient',
      classCode: 'IMP',
      period: { start: '2025-09-28T10:00:00Z', end: '2025-10-02T10:00:00Z' },
      fiscalYear: 2026,
    });
    assert.deepEqual(view.patient, { reference: 'Patient/synthetic-patient-a', sex: 'female', ageAtService: 71 });
  });

  it('reports a fetch cut short by the page limit as partial, naming the search', async () => {
    const { view, warnings } = await assemble('synthetic-enc-paged', 5, 1);
    assert.equal(view.notes.length, 5);
    assert.deepEqual(warnings, ['DocumentReference?encounter=Encounter/synthetic-enc-paged: partial: stopped after 1 pages of 5']);
  });

  it('maps spans of an HTML note back to the exact HTML characters', async () => {
    const { view } = await assemble('synthetic-enc-fracture');
    const [note] = processEncounter(view, lexicon).notes;
    const html = view.notes[0]!.text;
    const index = note!.processed.mentions.findIndex((m) => m.text === 'displaced fracture of shaft of right radius');
    assert.ok(index >= 0);
    const source = note!.mentionSources[index]!;
    assert.equal(html.slice(source.start, source.end), 'displaced fracture of shaft of right radius');
    assert.equal(source.sourceId, 'DocumentReference/synthetic-note-fracture#0');
    const denied = note!.processed.mentions.find((m) => m.text === 'head injury');
    assert.deepEqual(
      denied?.assertions.map((a) => a.category),
      ['negated'],
    );
  });

  it('an unknown encounter id is a not-found error naming it; the CLI says so in one line', async () => {
    await assert.rejects(
      fetchEncounter(await client(), 'synthetic-does-not-exist', { pageSize: 5, maxPages: 2 }),
      (err: unknown) => err instanceof ChartcoderError && err.reason === 'not-found' && /Encounter\/synthetic-does-not-exist/.test(err.message),
    );
    const r = await cli(['encounter', '--fhir', fhirBaseUrl(settings), '--id', 'synthetic-does-not-exist']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim(), 'chartcoder: Encounter/synthetic-does-not-exist was not found on the FHIR server');
  });

  it('keeps existing codings (Synthea SNOMED Conditions) as hints beside the notes', async () => {
    const conditions = (await (
      await client()
    ).search({ resourceType: 'Condition', searchParams: { code: 'http://snomed.info/sct|91302008', _count: '1' } })) as unknown as {
      entry?: { resource?: { encounter?: { reference?: string } } }[];
    };
    const encounterId = conditions.entry?.[0]?.resource?.encounter?.reference?.split('/')[1];
    assert.ok(encounterId, 'a Synthea encounter with a sepsis Condition');
    const { view } = await assemble(encounterId);
    assert.ok(view.conditions.some((c) => c.system === 'http://snomed.info/sct' && c.code === '91302008' && c.display === 'Sepsis (disorder)'));
    assert.ok(view.notes.length >= 1);
  });

  it('CLI: `chartcoder encounter --fhir URL --id ID --json` prints the FY, notes and mentions with offsets', async () => {
    const r = await cli(['encounter', '--fhir', fhirBaseUrl(settings), '--id', 'synthetic-enc-chf', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      view: EncounterView;
      notes: { text: string; processed: { mentions: { start: number; end: number; text: string; assertions: { category: string }[] }[] } }[];
    };
    assert.equal(out.view.encounter.fiscalYear, 2026);
    const mentions = out.notes[0]!.processed.mentions;
    assert.ok(mentions.every((m) => out.notes[0]!.text.slice(m.start, m.end) === m.text));
    assert.deepEqual(
      mentions.find((m) => m.text.startsWith('pneumonia'))?.assertions.map((a) => a.category),
      ['negated'],
    );
    assert.ok(mentions.some((m) => m.text === 'HFrEF'));
    assert.ok(mentions.some((m) => m.text === 'Acute on chronic systolic heart failure'));
  });
});
