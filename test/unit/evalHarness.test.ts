import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encounterOfNote } from '../../fhir';
import { codeBookOf } from '../../server/engine/suggest/codeBook';
import { compareReports, reportMarkdown, scoreMode, type EvalReport } from '../../server/tooling/evaluate/evalReport';
import { modelChanges } from '../../server/tooling/evaluate/modelChanges';
import { comparableCode, normalizeDiagnosisGold, type GoldFate } from '../../server/tooling/evaluate/goldCodes';
import { readPartial, type DocumentOutcome, type EvalDocument } from '../../server/tooling/evaluate/suggestEval';
import { CODE_DOCS } from '../fixtures/knowledge/codeBookDocs';

const book = codeBookOf(2026, CODE_DOCS);
const stats = {
  mentions: 3,
  codedMentions: 2,
  skippedByContext: 1,
  modelCalls: 2,
  modelFailures: 0,
  invalidCodesDropped: 1,
  quotesNotFound: 1,
  tookMs: 10,
  modelMs: 5,
};

/** A one-line gold document. */
const evalDocument = (id: string, diagnoses: readonly string[], procedures: readonly string[] = []): EvalDocument => ({
  id,
  view: encounterOfNote({ name: id, text: 'x' }),
  diagnoses: new Set(diagnoses),
  procedures: new Set(procedures),
});

describe('evaluation harness', () => {
  it('gold codes: billable kept, a FY2026 header mapped to its "unspecified" child or 7th-character family, the rest counted and left out', () => {
    const counts: Record<GoldFate, number> = { kept: 0, mapped: 0, 'not-in-fy': 0 };
    const mapped: [string, string][] = [];
    const gold = normalizeDiagnosisGold(
      ['i50.23', 'N18.3', 'Q99.999', 'I50.2', 'E11', 'J18', 's52.301', 'S52.321X', 'T81.4XX', 'S52.30'],
      book,
      counts,
      mapped,
    );
    assert.deepEqual([...gold], ['I50.23', 'N18.30', 'I50.20', 'J18.9', 'S52.301A', 'S52.321A']);
    assert.deepEqual(counts, { kept: 1, mapped: 5, 'not-in-fy': 4 }, 'E11 has no unspecified child; T81.4 was split (T81.40XA); S52.30 is no family stem');
    assert.deepEqual(mapped, [
      ['N18.3', 'N18.30'],
      ['I50.2', 'I50.20'],
      ['J18', 'J18.9'],
      ['S52.301', 'S52.301A'],
      ['S52.321X', 'S52.321A'],
    ]);
    assert.equal(comparableCode('S52.301A', book), 'S52.301');
  });

  it('lists what a model arm changed against retrieval on the same documents: fixed and broke, by the gold', () => {
    const doc = evalDocument('d1', ['I50.23', 'N18.31', 'E11.9']);
    const outcome = (codes: string[]): DocumentOutcome => ({
      id: 'd1',
      tookMs: 1,
      stats,
      degradations: [],
      diagnoses: codes.map((code) => ({ code, confidence: 0.5, valid: true, supported: true, modelQuote: false })),
      procedures: [],
      candidates: [],
    });
    const changes = modelChanges([doc], [outcome(['I50.20', 'N18.31', 'E11.9'])], [outcome(['I50.23', 'N18.31', 'R07.9'])], (c) => c);
    assert.deepEqual(
      changes.changes.map((c) => `${c.change} ${c.code} ${c.gold}`),
      ['added I50.23 true', 'added R07.9 false', 'removed E11.9 true', 'removed I50.20 false'],
    );
    assert.equal(changes.fixed, 2);
    assert.equal(changes.broke, 2);
  });

  it('scores both layers from stored outcomes', () => {
    const doc = evalDocument('d1', ['I50.23', 'N18.31'], ['BT41']);
    const outcome: DocumentOutcome = {
      id: 'd1',
      tookMs: 100,
      stats,
      degradations: [],
      diagnoses: [
        { code: 'I50.23', confidence: 0.9, valid: true, supported: true, modelQuote: true },
        { code: 'I50.21', confidence: 0.2, valid: true, supported: true, modelQuote: false },
      ],
      procedures: ['BT41ZZZ'],
      candidates: [
        { code: 'I50.21', offered: true },
        { code: 'I50.23', offered: true },
        { code: 'N18.31', offered: false },
      ],
    };
    const report = scoreMode('rag', [doc], [outcome], (c) => c);
    assert.equal(report.microPrecision, 0.5);
    assert.equal(report.microRecall, 0.5);
    assert.equal(report.recallAt10, 1);
    assert.equal(report.recallAtBudget, 0.5);
    assert.equal(report.mrr, 0.5);
    assert.equal(report.pcsPrefixRecall, 1);
    assert.equal(report.nearMissRate, 1);
    assert.equal(report.inventedCodeRate, 0.5);
    assert.equal(report.unsupportedEvidenceRate, 0.5);
    assert.equal(report.verifiedEvidenceShare, 1);
    assert.equal(report.invalidCodeRate, 0);
    const full: EvalReport = {
      dataset: 'synthetic',
      split: 'dev',
      documents: 1,
      gold: { diagnoses: 2, kept: 2, mapped: 0, notInFy: 0, procedures: 1 },
      createdAt: 'now',
      machine: 'test',
      modes: { rag: report },
    };
    assert.match(reportMarkdown(full), /\| micro P \/ R \/ F1 \(full code\) \| 0\.500 \/ 0\.500 \/ \*\*0\.500\*\* \|/);
    const better = { ...full, modes: { rag: { ...report, microF1: 0.75 } } };
    assert.match(compareReports(full, better), /\| rag \| 0\.75 \(\+0\.25\)/);
  });

  it('evidence agreement: a correct code whose evidence overlaps where the corpus locates its gold evidence', () => {
    const doc: EvalDocument = {
      ...evalDocument('d2', ['I50.23', 'N18.31', 'E11.9']),
      goldRegions: new Map([
        ['I50.23', [[0, 40]]],
        ['N18.31', [[41, 80]]],
      ]),
    };
    const outcome: DocumentOutcome = {
      id: 'd2',
      tookMs: 1,
      stats,
      degradations: [],
      procedures: [],
      candidates: [],
      diagnoses: [
        { code: 'I50.23', confidence: 1, valid: true, supported: true, modelQuote: false, evidence: [[10, 20]] },
        { code: 'N18.31', confidence: 1, valid: true, supported: true, modelQuote: false, evidence: [[0, 5]] },
        { code: 'E11.9', confidence: 1, valid: true, supported: true, modelQuote: false, evidence: [[0, 5]] },
        { code: 'R06.00', confidence: 1, valid: true, supported: true, modelQuote: false, evidence: [[10, 20]] },
      ],
    };
    const report = scoreMode('retrieval', [doc], [outcome], (c) => c);
    assert.equal(report.evidenceAgreementOf, 2, 'only correct codes the corpus locates are judged');
    assert.equal(report.evidenceAgreement, 0.5);
    const { goldRegions: _located, ...unlocated } = doc;
    assert.equal(scoreMode('retrieval', [unlocated], [outcome], (c) => c).evidenceAgreement, null);
  });

  it('resumes from partial results and ignores a line an interrupted run cut short', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chartcoder-eval-'));
    const path = join(dir, 'partial-rag.jsonl');
    writeFileSync(
      path,
      `${JSON.stringify({ id: 'd1', tookMs: 1, diagnoses: [], procedures: [], candidates: [], stats, degradations: [] })}\n{"id":"d2","tookMs":`,
    );
    assert.deepEqual([...readPartial(path).keys()], ['d1']);
  });
});

describe('evaluation run', () => {
  it('a mode whose model is missing is skipped with its reason; the other modes still run', async () => {
    const { ChartcoderError } = await import('../../server/engine/errors');
    const { runEvaluation } = await import('../../server/tooling/evaluate/suggestEval');
    const result = { encounter: 'd1', mode: 'retrieval', fiscalYear: 2026, suggestions: [], degradations: [], stats, candidates: [] };
    const suggester = {
      async *suggest(_view: unknown, request: { mode: string }) {
        if (request.mode === 'ft+rag') throw new ChartcoderError('not-found', 'the tuned model chartcoder-coder is not in Ollama');
        yield { type: 'result' as const, result };
      },
    };
    const silent = { start() {}, update() {}, stop() {}, note() {} };
    const run = await runEvaluation({
      suggester: suggester as never,
      documents: [evalDocument('d1', [])],
      modes: ['retrieval', 'ft+rag'],
      outDir: mkdtempSync(join(tmpdir(), 'chartcoder-run-')),
      progress: silent,
      isValid: () => true,
    });
    assert.deepEqual([...run.outcomes.keys()], ['retrieval']);
    assert.match(run.skipped.get('ft+rag') ?? '', /not in Ollama/);
  });
});
