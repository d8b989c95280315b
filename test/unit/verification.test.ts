import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { catalogOf, verifyCode } from '../../server/engine/suggest/codeValidity';
import { locateEvidence } from '../../server/engine/suggest/evidence';
import { parseOrderFile } from '../../server/knowledge/orderFile';
import { ROOT } from '../helpers/run';

describe('suggestion verification', () => {
  const note = 'Assessment:\n1. Acute on chronic   systolic heart failure, EF 25%.\n2. No evidence of pneumonia.';

  it('finds a quote verbatim and returns its exact range', () => {
    const found = locateEvidence('No evidence of pneumonia', note);
    assert.deepEqual(found && { ...found, slice: note.slice(found.start, found.end) }, {
      start: note.indexOf('No evidence'),
      end: note.indexOf('No evidence') + 24,
      text: 'No evidence of pneumonia',
      match: 'exact',
      slice: 'No evidence of pneumonia',
    });
  });

  it("forgives case and whitespace, but the range is always the note's own characters", () => {
    const found = locateEvidence('acute on chronic systolic HEART failure', note);
    assert.equal(found?.match, 'tolerant');
    assert.equal(note.slice(found!.start, found!.end), 'Acute on chronic   systolic heart failure');
    assert.equal(found?.text, 'Acute on chronic   systolic heart failure');
  });

  it('a quote that is not in the note, or too short to mean anything, is not evidence', () => {
    assert.equal(locateEvidence('diastolic heart failure', note), undefined);
    assert.equal(locateEvidence('  ', note), undefined);
    assert.equal(locateEvidence('EF', note), undefined);
  });

  it('prefers the occurrence at or after the mention', () => {
    const text = 'CHF. Later: CHF exacerbation.';
    assert.equal(locateEvidence('CHF', text, 5)?.start, 12);
    assert.equal(locateEvidence('chf', text, 5)?.start, 12);
  });

  describe('code validity for the fiscal year (FY2026 order file)', () => {
    const gz = readFileSync(join(ROOT, 'data/icd10cm/fy2026/icd10cm-order-2026.txt.gz'));
    const { items } = parseOrderFile(gunzipSync(gz).toString('latin1'), 'order', 'icd10cm');
    const catalog = catalogOf(
      2026,
      items.map((e) => ({ code: e.code, title: e.longTitle, billable: e.billable })),
    );

    it('a billable code is valid; lower case and spaces are forgiven', () => {
      assert.equal(verifyCode(catalog, ' i50.23 ').state, 'valid');
    });

    it('a header needs more specificity and lists its billable children', () => {
      const verdict = verifyCode(catalog, 'I50.2');
      assert.equal(verdict.state, 'needs-specificity');
      assert.deepEqual(verdict.state === 'needs-specificity' && verdict.children.map((c) => c.code), ['I50.20', 'I50.21', 'I50.22', 'I50.23']);
    });

    it('an invented or retired code is invalid, naming the fiscal year', () => {
      assert.deepEqual(verifyCode(catalog, 'I50.99'), { state: 'invalid', reason: 'I50.99 is not a code in the FY2026 code set' });
    });
  });
});
