// `chartcoder eval` as a user runs it: a FHIR gold bundle through every requested mode, Spanish CodiEsp text with
// evidence agreement against CodiEsp-X, report files with the documented keys, and --compare.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EvalReport } from '../../server/tooling/evaluate/evalReport';
import { cli } from '../helpers/run';

describe('chartcoder eval (built CLI, real services)', function () {
  this.timeout(20 * 60 * 1000);
  const out = mkdtempSync(join(tmpdir(), 'chartcoder-eval-'));

  it('scores a FHIR gold bundle in retrieval and ft+rag: report.json, report.md and the chart', async () => {
    const dir = join(out, 'bundle');
    const r = await cli(['eval', '--bundle', 'eval/datasets/synthetic-gold.json', '--modes', 'retrieval,ft+rag', '--out', dir]);
    assert.equal(r.code, 0, r.stderr.slice(-800));
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as EvalReport;
    assert.equal(report.dataset, 'FHIR gold bundle synthetic-gold.json');
    assert.equal(report.documents, 4);
    assert.equal(report.gold.diagnoses, 6);
    for (const mode of ['retrieval', 'ft+rag']) {
      const m = report.modes[mode]!;
      for (const key of ['microF1', 'macroF1', 'categoryMicroF1', 'recallAt50', 'mrr', 'ece', 'overCodingRatio'] as const)
        assert.equal(typeof m[key], 'number', `${mode}.${key}`);
      assert.equal(m.invalidCodeRate, 0);
      assert.equal(m.evidenceAgreement, null, 'a bundle does not locate gold evidence');
    }
    assert.ok(report.modes['retrieval']!.microRecall > 0, 'the synthetic notes are codable');
    assert.match(readFileSync(join(dir, 'report.md'), 'utf8'), /\| micro P \/ R \/ F1 \(full code\) \|/);
    assert.ok(existsSync(join(dir, 'chart.svg')));
    assert.ok(!existsSync(join(dir, 'partial-retrieval.jsonl')) && !existsSync(join(dir, 'partial-ft-rag.jsonl')), 'a finished run leaves nothing to resume');
  });

  it('evaluates the Spanish originals with evidence agreement against CodiEsp-X spans, and compares two reports', async () => {
    const dir = join(out, 'es');
    const r = await cli(['eval', '--split', 'dev', '--lang', 'es', '--limit', '2', '--modes', 'retrieval', '--out', dir]);
    assert.equal(r.code, 0, r.stderr.slice(-800));
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as EvalReport;
    assert.equal(report.dataset, 'CodiEsp v4 (Spanish)');
    assert.equal(typeof report.modes['retrieval']!.evidenceAgreementOf, 'number');
    const compared = await cli(['eval', '--compare', join(out, 'bundle', 'report.json'), join(dir, 'report.json')]);
    assert.equal(compared.code, 0, compared.stderr);
    assert.match(compared.stdout, /\| retrieval \|/);
  });

  it('a bad --lang stops before anything runs, with the allowed values', async () => {
    const r = await cli(['eval', '--lang', 'fr']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /expected a language: en, es/);
  });
});
