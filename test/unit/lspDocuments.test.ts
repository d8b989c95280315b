// The pure parts of the editor's documents: JSON string offsets through escapes, a FHIR JSON document's encounter,
// evidence places and written codes, the rendering of an encounter document, and `chartcoder:` URIs.
import assert from 'node:assert/strict';
import type { Bundle } from '@medplum/fhirtypes';
import { CodeSystem, encounterOfNote } from '../../fhir';
import { catalogOf, verifyCodes } from '../../server/engine/suggest/codeValidity';
import type { CodeBook } from '../../server/engine/suggest/codeBook';
import { fhirJsonDocument } from '../../server/lsp/documents/fhirJsonDocument';
import { decodedToDocumentOffsets, documentRangeOf } from '../../server/lsp/documents/jsonStringOffsets';
import { renderEncounter, renderedDocument } from '../../server/lsp/documents/encounterRendering';
import { encounterTargetOf, encounterUri } from '../../server/protocol';
import { checkWrittenCodes } from '../../server/lsp/writtenCodes';

const toBase64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const DIV = '<div xmlns="http://www.w3.org/1999/xhtml"><p>Fever. Café-au-lait \u2014 "quoted"\ttab</p></div>';

function bundle(...resources: object[]): string {
  return JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) } as Bundle, null, 2);
}

const ENCOUNTER = {
  resourceType: 'Encounter',
  id: 'e1',
  status: 'finished',
  class: { code: 'AMB' },
  subject: { reference: 'Patient/p1' },
  period: { start: '2025-11-03' },
};
const PATIENT = { resourceType: 'Patient', id: 'p1', gender: 'male', birthDate: '1960-01-01' };

describe('JSON string offsets', () => {
  it('maps decoded characters through every kind of escape', () => {
    const raw = JSON.stringify({ div: DIV });
    const literal = raw.indexOf('"<div');
    const offsets = decodedToDocumentOffsets(raw, literal, raw.length - 1 - literal);
    assert.equal(offsets.length, DIV.length + 1);
    for (const word of ['Fever', 'Café-au-lait', '"quoted"', 'tab']) {
      const start = DIV.indexOf(word);
      const range = documentRangeOf(offsets, start, start + word.length)!;
      assert.equal(JSON.parse(`"${raw.slice(range.start, range.end)}"`), word);
    }
    const escaped = JSON.stringify('a\u2014b').replace('\u2014', '\\u2014');
    const unicode = decodedToDocumentOffsets(escaped, 0, escaped.length);
    assert.deepEqual(documentRangeOf(unicode, 1, 2), { start: 2, end: 8 });
    assert.equal(documentRangeOf(unicode, 2, 9), undefined, 'past the end of the string');
  });
});

describe('FHIR JSON documents', () => {
  const composition = {
    resourceType: 'Composition',
    id: 'c1',
    status: 'final',
    type: { text: 'Summary' },
    encounter: { reference: 'Encounter/e1' },
    date: '2025-11-03',
    author: [{ display: 'x' }],
    title: 'Summary',
    section: [{ text: { status: 'generated', div: DIV } }],
  };
  const docRef = {
    resourceType: 'DocumentReference',
    id: 'd1',
    status: 'current',
    context: { encounter: [{ reference: 'Encounter/e1' }] },
    content: [{ attachment: { contentType: 'text/plain', data: toBase64('Cough for two days.') } }],
  };
  const condition = {
    resourceType: 'Condition',
    id: 'k1',
    subject: { reference: 'Patient/p1' },
    encounter: { reference: 'Encounter/e1' },
    code: {
      coding: [
        { system: CodeSystem.icd10cm, code: 'R50' },
        { system: CodeSystem.snomed, code: '386661006' },
      ],
    },
  };

  it('reads the encounter, places inline evidence exactly and base64 evidence on its data value, and lists written codes', () => {
    const text = bundle(PATIENT, ENCOUNTER, composition, docRef, condition);
    const doc = fhirJsonDocument('file:///x/enc.fhir.json', text)!;
    assert.equal(doc.problem, undefined);
    assert.equal(doc.view!.encounter.reference, 'Encounter/e1');
    assert.deepEqual(
      doc.view!.notes.map((n) => n.id),
      ['Composition/c1#0', 'DocumentReference/d1#0'],
    );
    const start = DIV.indexOf('Café-au-lait');
    const inline = doc.evidenceLocation({ sourceId: 'Composition/c1#0', start, end: start + 'Café-au-lait'.length })!;
    assert.equal(inline.exact, true);
    assert.equal(text.slice(inline.start, inline.end), 'Café-au-lait');
    const attached = doc.evidenceLocation({ sourceId: 'DocumentReference/d1#0', start: 0, end: 5 })!;
    assert.equal(attached.exact, false);
    assert.equal(text.slice(attached.start, attached.end), JSON.stringify(toBase64('Cough for two days.')));
    assert.equal(doc.evidenceLocation({ sourceId: 'DocumentReference/other#0', start: 0, end: 1 }), undefined);
    assert.deepEqual(
      doc.codes.map((c) => [c.code, c.resource, text.slice(c.range.start, c.range.end)]),
      [
        ['R50', 'Condition/k1', 'R50'],
        ['386661006', 'Condition/k1', '386661006'],
      ],
      'Encounter.class has no system: not a code to judge',
    );
  });

  it('an Encounter with contained notes is coded too', () => {
    const text = JSON.stringify({ ...ENCOUNTER, contained: [{ ...docRef, context: { encounter: [{ reference: 'Encounter/e1' }] } }] });
    assert.deepEqual(
      fhirJsonDocument('file:///x/e.json', text)!.view!.notes.map((n) => n.id),
      ['DocumentReference/d1#0'],
    );
  });

  it('says why a *.fhir.json cannot be coded, and leaves other JSON alone', () => {
    assert.match(
      fhirJsonDocument('file:///x/a.fhir.json', '{"resourceType": "Patient"}')!.problem!.message,
      /expected a FHIR Bundle or Encounter, found Patient/,
    );
    assert.match(fhirJsonDocument('file:///x/a.fhir.json', '{\n"a": }')!.problem!.message, /^not valid JSON: ValueExpected at line 2$/);
    const two = fhirJsonDocument('file:///x/b.fhir.json', bundle(ENCOUNTER, { ...ENCOUNTER, id: 'e2' }))!;
    assert.match(two.problem!.message, /2 Encounters/);
    assert.deepEqual(
      two.encounters!.map((e) => e.id),
      ['e1', 'e2'],
    );
    assert.equal(fhirJsonDocument('file:///x/package.json', '{"name": "x"}'), undefined);
    assert.match(
      fhirJsonDocument('file:///x/d.fhir.json', '{"resourceType": "Bundle", "entry": [null, 3, {"resource": "x"}]}')!.problem!.message,
      /has no Encounter/,
    );
    assert.match(fhirJsonDocument('file:///x/e.fhir.json', '{"resourceType": "Bundle", "entry": {"resource": {}}}')!.problem!.message, /has no Encounter/);
    assert.equal(fhirJsonDocument('file:///x/tsconfig.json', '{ // comment\n}'), undefined);
  });

  it('checks written codes against the code set: billable, header with its children, unknown; other systems unjudged', async () => {
    const icd = catalogOf(2026, [
      { code: 'R50', title: 'Fever of other and unknown origin', billable: false },
      { code: 'R50.9', title: 'Fever, unspecified', billable: true },
    ]);
    const empty = catalogOf(0, []);
    const book = {
      fy: 2026,
      catalog: (system: string) => (system === 'icd10cm' ? icd : empty),
      doc: () => undefined,
      lineage: () => [],
    } as unknown as CodeBook;
    const text = bundle(PATIENT, ENCOUNTER, {
      ...condition,
      code: {
        coding: [
          { system: CodeSystem.icd10cm, code: 'R50' },
          { system: CodeSystem.icd10cm, code: 'R50.9' },
          { system: CodeSystem.icd10cm, code: 'Q99.99' },
          { system: CodeSystem.cpt, code: '99213' },
        ],
      },
    });
    const checks = await checkWrittenCodes(fhirJsonDocument('file:///x/c.fhir.json', text)!.codes, {
      verifyCodes: async (codes) => verifyCodes((system) => book.catalog(system), codes),
    });
    assert.deepEqual(
      checks.map((c) => [c.written.code, c.verdict.state]),
      [
        ['R50', 'needs-specificity'],
        ['R50.9', 'valid'],
        ['Q99.99', 'invalid'],
      ],
    );
  });
});

describe('encounter documents (chartcoder:)', () => {
  it('renders notes under headings and maps evidence back by one offset', () => {
    const view = {
      ...encounterOfNote({ name: 'Encounter/e1', text: 'Fever and cough.', date: '2025-11-03' }),
      patient: { reference: 'Patient/p1', sex: 'male', ageAtService: 65 },
    };
    const rendered = renderEncounter(view, 'http://ehr.example/fhir');
    assert.match(
      rendered.text,
      /^Encounter\/e1 · other · 2025-11-03 · code set FY2026\nPatient\/p1 · male · 65 y\nSource: http:\/\/ehr.example\/fhir\n\n════ Note · Encounter\/e1 ════\nFever and cough.\n$/,
    );
    const doc = renderedDocument('Encounter/e1', view, rendered);
    const at = doc.evidenceLocation({ sourceId: 'Encounter/e1#0', start: 10, end: 15 })!;
    assert.equal(rendered.text.slice(at.start, at.end), 'cough');
    assert.equal(doc.evidenceLocation({ sourceId: 'Encounter/e1#0', start: 10, end: 99 }), undefined, 'beyond the note');
  });

  it('names encounters by URI, from the server or from a Bundle file, and refuses other URIs', () => {
    const fromServer = encounterUri({ id: 'enc-1' });
    assert.equal(fromServer, 'chartcoder:/Encounter/enc-1');
    assert.deepEqual(encounterTargetOf(fromServer), { id: 'enc-1' });
    assert.deepEqual(encounterTargetOf(encounterUri({ id: 'enc-1', bundle: '/data/a b.json' })), { id: 'enc-1', bundle: '/data/a b.json' });
    assert.equal(encounterTargetOf('chartcoder:/Patient/p1'), undefined);
    assert.equal(encounterTargetOf('chartcoder:/Encounter/..%2F..%2Fetc'), undefined);
    assert.equal(encounterTargetOf('file:///Encounter/e1'), undefined);
  });
});
