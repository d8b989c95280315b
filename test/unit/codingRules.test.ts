import assert from 'node:assert/strict';
import { codeBookOf } from '../../server/engine/suggest/codeBook';
import { applyRules, sequence } from '../../server/engine/suggest/rules/applyRules';
import { codeRangesIn, inRange } from '../../server/engine/suggest/rules/codeRefs';
import type { RuleId, Suggestion } from '../../server/engine/suggest/suggestion';
import { CODE_DOCS } from '../fixtures/knowledge/codeBookDocs';

const book = codeBookOf(2026, CODE_DOCS);

/** Each code's evidence at its own place in the note, as in a real one: the same code, the same words. */
const offsets = new Map<string, number>();
const offsetOf = (code: string): number => offsets.get(code) ?? offsets.set(code, offsets.size * 10).get(code)!;

function suggestion(code: string, confidence = 0.8): Suggestion {
  const doc = book.doc('icd10cm', code)!;
  const start = offsetOf(code);
  return {
    id: `icd10cm|${code}`,
    system: 'icd10cm',
    systemUri: doc.systemUri,
    code,
    display: doc.title,
    kind: 'diagnosis',
    fiscalYear: 2026,
    confidence,
    confidenceBasis: 'retrieval-score',
    evidenceState: 'supported',
    evidence: [{ sourceId: 'n#0', start, end: start + 4, text: code, origin: 'mention', match: 'exact' }],
    guidance: [],
    rationale: '',
    findings: [],
    alternatives: [],
    provenance: { mode: 'retrieval', codeSetFy: 2026, createdAt: '2026-01-01T00:00:00Z' },
  };
}

const run = (codes: string[], patient = {}, modifiers: object[] = []) =>
  applyRules({ suggestions: codes.map((c) => suggestion(c)), modifiers: codes.map((_, i) => modifiers[i] ?? {}), book, patient });
const rules = (s: Suggestion | undefined): RuleId[] => (s?.findings ?? []).map((f) => f.rule);
const find = (result: Suggestion[], code: string) => result.find((s) => s.code === code);

describe('coding rules', () => {
  it('reads code references and ranges out of tabular notes', () => {
    assert.deepEqual(codeRangesIn('stage of chronic kidney disease (N18.1-N18.6); type 1 (E10.-); (O10-O11, O13-O16)'), [
      { from: 'N18.1', to: 'N18.6' },
      { from: 'E10', to: 'E10' },
      { from: 'O10', to: 'O11' },
      { from: 'O13', to: 'O16' },
    ]);
    assert.ok(inRange('N18.31', { from: 'N18.1', to: 'N18.6' }));
    assert.ok(!inRange('N18.9', { from: 'N18.1', to: 'N18.6' }));
    assert.ok(inRange('E10.9', { from: 'E10', to: 'E10' }));
  });

  it('Excludes1: two suggested codes that are never coded together are flagged on both, naming the note', () => {
    const result = run(['E11.9', 'E10.9']);
    assert.deepEqual(rules(find(result, 'E11.9')), ['excludes1-conflict']);
    assert.deepEqual(rules(find(result, 'E10.9')), ['excludes1-conflict']);
    assert.match(find(result, 'E11.9')!.findings[0]!.message, /E11 Excludes1 "type 1 diabetes mellitus \(E10\.-\)"/);
  });

  it('use additional code: pairs E11.22 with N18.31; without a stage code it says what to look for', () => {
    const paired = find(run(['E11.22', 'N18.31']), 'E11.22')!.findings.find((f) => f.rule === 'use-additional-code');
    assert.deepEqual(paired?.relatedCodes, ['N18.31']);
    assert.match(paired!.message, /paired with N18\.31/);
    const alone = find(run(['E11.22']), 'E11.22')!.findings.find((f) => f.rule === 'use-additional-code');
    assert.match(alone!.message, /if the note documents it: Use additional code to identify stage of chronic kidney disease/);
    assert.deepEqual(alone?.relatedCodes, ['N18.1-N18.6']);
  });

  it('combination codes: E11.9 with a CKD stage becomes E11.22; I10 with heart failure becomes I11.0', () => {
    const dm = run(['E11.9', 'N18.31']);
    assert.deepEqual(dm.map((s) => s.code).sort(), ['E11.22', 'N18.31']);
    const combined = find(dm, 'E11.22')!;
    assert.ok(rules(combined).includes('combination-code'));
    assert.equal(combined.alternatives[0]?.code, 'E11.9');
    assert.ok(rules(combined).includes('use-additional-code'), 'the combination code is then paired with its stage code');
    assert.deepEqual(
      run(['I10', 'I50.23'])
        .map((s) => s.code)
        .sort(),
      ['I11.0', 'I50.23'],
    );
    assert.deepEqual(
      run(['I10']).map((s) => s.code),
      ['I10'],
      'no partner, no combination',
    );
  });

  it('merges duplicate codes and folds an unspecified code into a specific one of the same subcategory', () => {
    const result = run(['I50.23', 'I50.20', 'I50.23']);
    assert.deepEqual(
      result.map((s) => s.code),
      ['I50.23'],
    );
    assert.equal(result[0]!.evidence.length, 2);
    assert.ok(rules(result[0]).includes('unspecified-but-documented'));
  });

  it('unspecified code while the note documents the specificity: the one sibling naming all of it replaces it', () => {
    const result = run(['N18.30'], {}, [{ stage: 'stage 3a' }]);
    assert.deepEqual(
      result.map((s) => s.code),
      ['N18.31'],
    );
    const finding = result[0]!.findings.find((f) => f.rule === 'unspecified-but-documented')!;
    assert.equal(finding.severity, 'info');
    assert.deepEqual(finding.relatedCodes, ['N18.30']);
    assert.match(finding.message, /^N18\.31 instead of N18\.30 \(unspecified\): the note documents stage 3a, which only N18\.31 names$/);
    assert.equal(result[0]!.alternatives[0]?.code, 'N18.30', 'the unspecified code stays the first alternative');
    assert.equal(result[0]!.id, 'icd10cm|N18.31');
  });

  it('unspecified code with details that several siblings name in part: proposes them and leaves the choice to the coder', () => {
    const result = run(['I50.20'], {}, [{ type: 'systolic' }]);
    assert.deepEqual(
      result.map((s) => s.code),
      ['I50.20'],
    );
    const finding = result[0]!.findings.find((f) => f.rule === 'unspecified-but-documented')!;
    assert.equal(finding.severity, 'warning');
    assert.deepEqual(finding.relatedCodes, ['I50.21', 'I50.23'], 'the siblings the fixture book holds');
    const specific = run(['I50.20'], {}, [{ acuity: 'acute on chronic', type: 'systolic' }]);
    assert.deepEqual(
      specific.map((s) => s.code),
      ['I50.23'],
      'acute on chronic + systolic: only I50.23 names both',
    );
  });

  it('sequencing: a code whose "code first" note is paired comes after its partner, whatever the confidences', () => {
    const result = applyRules({ suggestions: [suggestion('I50.23', 0.9), suggestion('I11.0', 0.3)], modifiers: [{}, {}], book, patient: {} });
    assert.deepEqual(
      sequence(result).map((s) => s.code),
      ['I11.0', 'I50.23'],
    );
    assert.deepEqual(
      sequence([suggestion('J18.9', 0.2), suggestion('I50.23', 0.9)]).map((s) => s.code),
      ['I50.23', 'J18.9'],
    );
    const withSymptom = applyRules({ suggestions: [suggestion('R06.00', 0.99), suggestion('I50.23', 0.3)], modifiers: [{}, {}], book, patient: {} });
    assert.deepEqual(
      sequence(withSymptom).map((s) => s.code),
      ['I50.23', 'R06.00'],
      'an integral symptom comes after its diagnosis',
    );
  });

  it('age and sex edits flag, never drop', () => {
    const male = run(['O80'], { sex: 'male', ageAtService: 30 });
    assert.deepEqual(rules(male[0]), ['sex-edit']);
    assert.deepEqual(rules(run(['O80'], { sex: 'female', ageAtService: 70 })[0]), ['age-edit']);
    assert.deepEqual(rules(run(['N40.0'], { sex: 'female', ageAtService: 70 })[0]), ['sex-edit']);
    assert.deepEqual(rules(run(['O80'], { sex: 'female', ageAtService: 30 })[0]), []);
  });

  it('a symptom integral to a suggested diagnosis is flagged and sorted below it by halved confidence', () => {
    const result = run(['R06.00', 'I50.23']);
    const symptom = find(result, 'R06.00')!;
    assert.deepEqual(rules(symptom), ['symptom-integral']);
    assert.equal(symptom.confidence, 0.4);
    assert.deepEqual(rules(run(['R06.00'])[0]), []);
  });
});
