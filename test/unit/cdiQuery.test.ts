// CDI query drafts: the kind of question follows the suggestion's findings; indicators are the record's words;
// options are clinical terms with "other" and "unable to determine", never codes, "unspecified" or payment.
import assert from 'node:assert/strict';
import { draftQueryItem, queryText } from '../../server/lsp/cdiQueryDraft';
import type { Suggestion } from '../../server/engine/suggest/suggestion';

function suggestion(overrides: Partial<Suggestion>): Suggestion {
  return {
    id: 'icd10cm|I50.9',
    system: 'icd10cm',
    systemUri: 'http://hl7.org/fhir/sid/icd-10-cm',
    code: 'I50.9',
    display: 'Heart failure, unspecified',
    kind: 'diagnosis',
    fiscalYear: 2026,
    confidence: 0.6,
    confidenceBasis: 'retrieval-score',
    evidenceState: 'supported',
    evidence: [{ sourceId: 'n#0', start: 0, end: 13, text: 'heart failure', origin: 'mention', match: 'exact' }],
    guidance: [],
    rationale: '',
    findings: [],
    provenance: { mode: 'retrieval', codeSetFy: 2026, createdAt: '2026-11-25T00:00:00Z' },
    alternatives: [
      { code: 'I50.23', display: 'Acute on chronic systolic (congestive) heart failure', score: 0.5 },
      { code: 'I50.33', display: 'Acute on chronic diastolic (congestive) heart failure', score: 0.4 },
    ],
    ...overrides,
  };
}

describe('CDI query drafts', () => {
  it('asks for specificity with clinical options, "other" and "unable to determine"', () => {
    const item = draftQueryItem(suggestion({}));
    assert.equal(item.kind, 'specificity');
    assert.deepEqual(item.indicators, ['“heart failure”']);
    assert.deepEqual(item.options, [
      'Acute on chronic systolic heart failure',
      'Acute on chronic diastolic heart failure',
      'Other (please specify)',
      'Unable to determine',
    ]);
    assert.match(
      item.question,
      /^The record documents “heart failure”\. Based on your clinical judgment, can the type, acuity or cause be further specified\?$/,
    );
  });

  it('asks which conditions are present for an Excludes1 conflict, and to validate an unqualified finding', () => {
    const conflict = draftQueryItem(suggestion({ findings: [{ rule: 'excludes1-conflict', severity: 'warning', message: 'x', source: 'tabular' }] }));
    assert.equal(conflict.kind, 'conflict');
    const plain = draftQueryItem(
      suggestion({
        code: 'J18.9',
        display: 'Pneumonia, unspecified organism',
        alternatives: [],
        evidence: [{ sourceId: 'n#0', start: 0, end: 10, text: 'infiltrate', origin: 'mention', match: 'exact' }],
      }),
    );
    assert.equal(plain.kind, 'specificity', '"unspecified" in the title asks for specificity');
    const validation = draftQueryItem(suggestion({ code: 'E87.1', display: 'Hypo-osmolality and hyponatremia', alternatives: [] }));
    assert.equal(validation.kind, 'clinical-validation');
    assert.deepEqual(validation.options, ['Hypo-osmolality and hyponatremia', 'Condition ruled out', 'Other (please specify)', 'Unable to determine']);
  });

  it('writes the query for the provider without codes', () => {
    const items = [
      draftQueryItem(suggestion({})),
      draftQueryItem(suggestion({ id: 'b', code: 'E87.1', display: 'Hypo-osmolality and hyponatremia', alternatives: [] })),
    ];
    const text = queryText('Encounter/e1', items);
    assert.match(text, /^# Documentation clarification request\n\nRegarding: Encounter\/e1\n/);
    assert.match(
      text,
      /## 1\. The record documents “heart failure”.*\n\nClinical indicators:\n- “heart failure”\n\nOptions:\n- \[ \] Acute on chronic systolic heart failure\n/,
    );
    assert.match(text, /## 2\. /);
    assert.doesNotMatch(text, /I50|E87|unspecified/i);
  });
});
