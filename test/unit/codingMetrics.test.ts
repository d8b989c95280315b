import assert from 'node:assert/strict';
import {
  expectedCalibrationError,
  meanReciprocalRank,
  nearMissRate,
  overCodingRatio,
  prefixMetrics,
  setMetrics,
  categoryOf,
} from '../../server/engine/metrics/codingMetrics';
import { microF1Interval } from '../../server/engine/metrics/bootstrap';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);

describe('coding metrics (hand-computed cases)', () => {
  const docs = [
    { predicted: ['I50.23', 'I50.23', 'R06.00'], gold: ['I50.23', 'N18.31'] },
    { predicted: ['E11.22'], gold: ['E11.22', 'N18.31'] },
  ];

  it('micro pools counts; duplicates count once', () => {
    const m = setMetrics(docs);
    // tp 2 (I50.23, E11.22); predicted 3 (I50.23, R06.00, E11.22); gold 4
    close(m.micro.precision, 2 / 3);
    close(m.micro.recall, 2 / 4);
    close(m.micro.f1, (2 * (2 / 3) * 0.5) / (2 / 3 + 0.5));
  });

  it('macro averages over every code in gold or predictions, including codes never predicted', () => {
    const m = setMetrics(docs);
    // codes: I50.23 (P1 R1 F1 1), R06.00 (P0 R0 F0), N18.31 (never predicted: P0 R0 F0), E11.22 (1, 1, 1)
    close(m.macro.precision, 2 / 4);
    close(m.macro.recall, 2 / 4);
    close(m.macro.f1, 2 / 4);
  });

  it('category level compares the first three characters', () => {
    assert.equal(categoryOf('I50.23'), 'I50');
    const m = setMetrics([{ predicted: ['I50.21'], gold: ['I50.23'] }], categoryOf);
    close(m.micro.f1, 1);
  });

  it('empty predictions: precision 0, recall 0, no division by zero; empty everything: zeros', () => {
    const m = setMetrics([{ predicted: [], gold: ['J18.9'] }]);
    assert.deepEqual(m.micro, { precision: 0, recall: 0, f1: 0 });
    assert.deepEqual(setMetrics([]).macro, { precision: 0, recall: 0, f1: 0 });
    assert.equal(overCodingRatio([{ predicted: [], gold: [] }]), 0);
  });

  it('prefix matching for partial gold procedure codes', () => {
    const m = prefixMetrics([{ predicted: ['BT41ZZZ', '0T9B70Z'], gold: ['BT41ZZZ', 'CT13'] }]);
    close(m.micro.precision, 1 / 2);
    close(m.micro.recall, 1 / 2);
  });

  it('over-coding ratio, near misses, calibration error and MRR', () => {
    close(overCodingRatio(docs), 3 / 4);
    close(nearMissRate([{ predicted: ['I50.21', 'R06.00', 'I50.23'], gold: ['I50.23'] }]), 1 / 2);
    // bin 0.9: two predictions at 0.9, one right → |0.5 − 0.9| · 2/4; bin 0.2: two at 0.2, none right → |0 − 0.2| · 2/4
    close(
      expectedCalibrationError([
        { confidence: 0.9, correct: true },
        { confidence: 0.9, correct: false },
        { confidence: 0.2, correct: false },
        { confidence: 0.2, correct: false },
      ]),
      0.4 * 0.5 + 0.2 * 0.5,
    );
    close(
      meanReciprocalRank([
        { ranked: ['A00', 'B00'], gold: new Set(['B00']) },
        { ranked: ['C00'], gold: new Set(['D00']) },
        { ranked: [], gold: new Set() },
      ]),
      (0.5 + 0) / 2,
    );
  });

  describe('bootstrap interval of micro-F1 over documents', () => {
    const docs = Array.from({ length: 40 }, (_, i) => ({ predicted: i % 2 ? ['A', 'B'] : ['A', 'C'], gold: ['A', 'B'] }));

    it('brackets the corpus micro-F1, narrows with more documents, and reproduces itself', () => {
      const f1 = setMetrics(docs).micro.f1;
      const interval = microF1Interval(docs);
      assert.ok(interval.low < f1 && f1 < interval.high, `${interval.low} < ${f1} < ${interval.high}`);
      const wider = microF1Interval(docs.slice(0, 10));
      assert.ok(wider.high - wider.low > interval.high - interval.low);
      assert.deepEqual(microF1Interval(docs), interval);
      assert.equal(interval.level, 0.95);
    });

    it('has no width when every document scores alike', () => {
      const same = Array.from({ length: 20 }, () => ({ predicted: ['A', 'C'], gold: ['A', 'B'] }));
      const interval = microF1Interval(same);
      close(interval.low, 0.5);
      close(interval.high, 0.5);
    });
  });
});
