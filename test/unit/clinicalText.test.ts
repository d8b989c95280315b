import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCodiesp, type CodiespCase } from '../../server/tooling/evaluate/codiesp';
import { detectSections, sectionAt } from '../../server/engine/text/sections';
import { splitSentences } from '../../server/engine/text/sentences';
import type { Span } from '../../server/engine/text/span';
import { ROOT } from '../helpers/run';

const NOTE = [
  'HPI: 67 yo M with h/o CHF (EF 25%) and DM2 presents with SOB. Denies chest pain but reports dyspnea on exertion.',
  'PMH:',
  '1. Hypertension',
  '2. CKD stage 3, on lisinopril 10 mg. daily',
  'Vitals: BP 150/90, HR 88. Temp 37.5 C.',
  '',
  'ASSESSMENT AND PLAN',
  'Acute on chronic systolic heart failure. r/o MI. Dr. Smith to see pt.',
  'Discharge Diagnoses: 1) CHF 2) AKI',
].join('\n');

const texts = (text: string, spans: readonly Span[]) => spans.map((s) => text.slice(s.start, s.end));

/** Every non-space character belongs to exactly one span; spans are ordered, trimmed and inside the text. */
function assertPartition(text: string, spans: readonly Span[], label: string): void {
  let last = 0;
  for (const s of spans) {
    assert.ok(s.start >= last && s.end > s.start && s.end <= text.length, `${label}: span ${s.start}-${s.end} out of order`);
    assert.equal(text.slice(s.start, s.end).trim(), text.slice(s.start, s.end), `${label}: span not trimmed`);
    assert.equal(text.slice(last, s.start).trim(), '', `${label}: text between spans lost: "${text.slice(last, s.start)}"`);
    last = s.end;
  }
  assert.equal(text.slice(last).trim(), '', `${label}: trailing text lost`);
}

describe('clinical text: sentences and sections with exact offsets', () => {
  it('splits at list items, header lines and blank lines; keeps "10 mg. daily" and "Dr. Smith" whole', () => {
    assert.deepEqual(texts(NOTE, splitSentences(NOTE)), [
      'HPI: 67 yo M with h/o CHF (EF 25%) and DM2 presents with SOB.',
      'Denies chest pain but reports dyspnea on exertion.',
      'PMH:',
      '1. Hypertension',
      '2. CKD stage 3, on lisinopril 10 mg. daily',
      'Vitals: BP 150/90, HR 88. Temp 37.5 C.',
      'ASSESSMENT AND PLAN',
      'Acute on chronic systolic heart failure.',
      'r/o MI.',
      'Dr. Smith to see pt.',
      'Discharge Diagnoses: 1) CHF 2) AKI',
    ]);
  });

  it('a line that ends a sentence ends it, even inside an unclosed bracket; a wrapped line and a lone "1." stay joined', () => {
    const text = [
      'Gastroscopy showed varices without signs of bleeding [F2 RC(-) according to the classification.',
      'On ultrasound the liver had no focal lesions.',
      'The patient also had septic shock and ascites, treated with',
      'vancomycin.',
      '1.',
      'The biopsy confirmed it.',
    ].join('\n');
    assert.deepEqual(texts(text, splitSentences(text)), [
      'Gastroscopy showed varices without signs of bleeding [F2 RC(-) according to the classification.',
      'On ultrasound the liver had no focal lesions.',
      'The patient also had septic shock and ascites, treated with\nvancomycin.',
      '1.\nThe biopsy confirmed it.',
    ]);
  });

  it('finds sections by their headers, with canonical names and header spans', () => {
    const sections = detectSections(NOTE);
    assert.deepEqual(
      sections.map((s) => s.name),
      ['hpi', 'past-medical-history', 'physical-exam', 'assessment-plan', 'discharge-diagnoses'],
    );
    assert.deepEqual(
      sections.map((s) => NOTE.slice(s.header.start, s.header.end)),
      ['HPI', 'PMH', 'Vitals', 'ASSESSMENT AND PLAN', 'Discharge Diagnoses'],
    );
    assert.equal(sectionAt(sections, NOTE.indexOf('CKD'))?.name, 'past-medical-history');
    assert.deepEqual(
      detectSections('Just one line of text.').map((s) => s.name),
      ['preamble'],
    );
  });

  it('sentences partition the note: no character lost, none counted twice', () => {
    assertPartition(NOTE, splitSentences(NOTE), 'fixture');
  });

  describe('on 100 CodiEsp dev documents (English)', function () {
    this.timeout(60_000);
    let cases: CodiespCase[];
    before(async () => {
      cases = (await readCodiesp(join(ROOT, '..', 'shared', 'data', 'codiesp'), mkdtempSync(join(tmpdir(), 'chartcoder-codiesp-')), 'dev')).slice(0, 100);
    });

    it('sentence spans partition each document and slice back to their text', () => {
      assert.equal(cases.length, 100);
      for (const c of cases) assertPartition(c.text, splitSentences(c.text), c.id);
    });

    it('section spans are ordered, inside the text, and their headers slice back to a known phrase', () => {
      for (const c of cases) {
        let last = 0;
        for (const s of detectSections(c.text)) {
          assert.ok(s.start >= last && s.end <= c.text.length && s.start < s.end, c.id);
          assert.ok(s.name === 'preamble' || c.text.slice(s.header.start, s.header.end).trim().length > 0, c.id);
          last = s.end;
        }
      }
    });
  });
});
