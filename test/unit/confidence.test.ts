import assert from 'node:assert/strict';
import type { TokenLogprob } from '../../server/engine/ports';
import { codeProbability, retrievalConfidence, valueDistribution } from '../../server/engine/suggest/confidence';

const t = (token: string, p: number, top: [string, number][] = []): TokenLogprob => ({
  token,
  logprob: Math.log(p),
  top: top.map(([tok, q]) => ({ token: tok, logprob: Math.log(q) })),
});

describe('confidence', () => {
  const allowed = ['I50.23', 'I50.21', 'J18.9'];
  /** I50.23 chosen; J, "50" and "1" the alternatives that still spell an allowed code, "The" and "9" none. */
  const greedyPath = () => [
    t('{"code": "', 0.9),
    t('I', 0.2, [
      ['J', 0.2],
      ['The', 0.5],
    ]),
    t('50.2', 0.7, [['50', 0.1]]),
    t('3', 0.3, [
      ['1', 0.1],
      ['9', 0.2],
    ]),
    t('"', 0.99),
    t('}', 0.99),
  ];

  it('renormalizes each code token over the alternatives that still spell an allowed code', () => {
    // "I50.2" is forced once "I" is chosen over "J"; at "3" vs "1" the model put 0.3 vs 0.1.
    const tokens = greedyPath();
    const p = codeProbability(tokens, 'I50.23', allowed)!;
    // I: 0.2 / (0.2 + 0.2) = 0.5 ("The" cannot start a code); 50.2: 0.7 / (0.7 + 0.1) = 0.875; 3: 0.3 / (0.3 + 0.1) = 0.75 ("9" spells no code)
    assert.ok(Math.abs(p - 0.5 * 0.875 * 0.75) < 1e-9, String(p));
  });

  it('a token that carries the closing quote counts only when the value is a whole allowed code', () => {
    const tokens = [t('{"code": "', 0.9), t('J', 0.6, [['I', 0.3]]), t('18.9"', 0.5, [['18"', 0.4]]), t('}', 1)];
    const p = codeProbability(tokens, 'J18.9', allowed)!;
    assert.ok(Math.abs(p - (0.6 / 0.9) * 1) < 1e-9, String(p));
  });

  it('without an allow-list (ft) it is the raw probability of the code tokens; no code value, no estimate', () => {
    const tokens = [t('{"code":"', 1), t('N18', 0.5), t('.31', 0.4), t('"}', 1)];
    assert.ok(Math.abs(codeProbability(tokens, 'N18.31', undefined)! - 0.2) < 1e-9);
    assert.equal(codeProbability([t('{}', 1)], 'N18.31', undefined), undefined);
  });

  it('the distribution over every allowed code: alternatives that leave the greedy path pass their share on', () => {
    const tokens = greedyPath();
    const d = valueDistribution(tokens, allowed)!;
    // J leaves at the first token with 0.5; "50" (0.5 · 0.125) is a shorter prefix of codes already on the path, so
    // it reaches no other code and is renormalized away; then I50.21 takes 0.5 · 0.875 · 0.25, I50.23 the rest.
    const kept = 1 - 0.5 * 0.125;
    assert.ok(Math.abs(d.get('J18.9')! - 0.5 / kept) < 1e-9, String(d.get('J18.9')));
    assert.ok(Math.abs(d.get('I50.21')! - (0.5 * 0.875 * 0.25) / kept) < 1e-9);
    assert.ok(Math.abs(d.get('I50.23')! - (0.5 * 0.875 * 0.75) / kept) < 1e-9);
    const sum = [...d.values()].reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9);
  });

  it("the distribution of one sentence's letter in the judge's answer, by its key", () => {
    const tokens = [
      t('{"', 1),
      t('1', 1),
      t('":', 1),
      t(' "', 1),
      t('A', 0.5, [
        ['B', 0.3],
        ['The', 0.2],
      ]),
      t('",', 1),
      t(' "', 1),
      t('2', 1),
      t('":', 1),
      t(' "', 1),
      t('N', 0.4, [
        ['A', 0.4],
        ['C', 0.2],
      ]),
      t('"}', 1),
    ];
    const first = valueDistribution(tokens, ['A', 'B', 'N'], '1')!;
    assert.ok(Math.abs(first.get('A')! - 0.5 / 0.8) < 1e-9 && Math.abs(first.get('B')! - 0.3 / 0.8) < 1e-9 && first.get('N') === 0);
    const second = valueDistribution(tokens, ['A', 'N'], '2')!;
    assert.ok(Math.abs(second.get('N')! - 0.5) < 1e-9 && Math.abs(second.get('A')! - 0.5) < 1e-9, JSON.stringify([...second]));
    assert.equal(valueDistribution(tokens, ['A', 'N'], '3'), undefined);
  });

  it('the distribution splits an alternative evenly among the codes it leads to; no allowed value, no distribution', () => {
    const codes = ['K35.80', 'K35.89', 'none'];
    const tokens = [t('{"code": "', 1), t('none', 0.6, [['K', 0.3]]), t('"}', 1)];
    const d = valueDistribution(tokens, codes)!;
    assert.ok(Math.abs(d.get('none')! - 0.6 / 0.9) < 1e-9);
    assert.ok(Math.abs(d.get('K35.80')! - 0.3 / 0.9 / 2) < 1e-9);
    assert.equal(valueDistribution([t('{"code": "X99"}', 1)], codes), undefined);
  });

  it('retrieval confidence: how documented the top candidate is, halved when the runner-up ties', () => {
    assert.equal(
      retrievalConfidence([
        { documented: 1, score: 1.03 },
        { documented: 0.5, score: 0.53 },
      ]),
      1,
    );
    assert.equal(
      retrievalConfidence([
        { documented: 0.8, score: 0.83 },
        { documented: 0.8, score: 0.83 },
      ]),
      0.4,
    );
    assert.equal(retrievalConfidence([]), 0);
  });
});
