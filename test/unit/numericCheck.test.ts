// The numeric check's comparison logic with a scripted "Ollama" (the real one in the training pipeline test).
import assert from 'node:assert/strict';
import { numericCheck, type NextToken, type ReferencePrompt } from '../../server/tooling/train/numericCheck';
import { adapterVersionFor, modelCardSchema } from '../../server/app/modelCard';

const steps = (pieces: string[], margins: number[]) => {
  let prefix = '';
  return pieces.map((piece, i) => {
    const step = { prefix, piece, id: piece.charCodeAt(0) * 100 + i, margin: margins[i]! };
    prefix += piece;
    return step;
  });
};

const reference: ReferencePrompt = {
  prompt: '<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n',
  tuned: { text: '{"code": "I50.23"', steps: steps(['{"', 'code', '":', ' "', 'I', '50', '.', '23'], [5, 4, 6, 3, 0.2, 2, 8, 1.5]) },
  base: { text: '{"code": "R06.00"', steps: steps(['{"', 'code', '":', ' "', 'R', '06', '.', '00'], [5, 4, 6, 3, 1, 2, 8, 1]) },
};

/** An Ollama that follows `path` for `model`, answering the piece that comes after the given prefix. */
const following =
  (paths: Record<string, ReferencePrompt['tuned']>, overrides: Record<string, string> = {}): NextToken =>
  async (model, raw) => {
    const prefix = raw.slice(reference.prompt.length);
    if (overrides[`${model}|${prefix}`] !== undefined) return overrides[`${model}|${prefix}`]!;
    return paths[model]!.steps.find((s) => s.prefix === prefix)?.piece ?? '?';
  };

describe('numeric check (Ollama against the transformers reference)', () => {
  it('skips near-ties; a base that parts from the tuned path only at a near-tie does not show the adapter', async () => {
    const base = { ...reference.tuned, steps: reference.tuned.steps.map((s) => (s.piece === 'I' ? { ...s, piece: 'R' } : s)) };
    const result = await numericCheck([reference], following({ tuned: reference.tuned, base }), { tuned: 'tuned', base: 'base' });
    assert.equal(result.skippedNearTies, 1, 'the 0.2-nat step is a near-tie');
    assert.equal(result.comparedTokens, 7);
    assert.equal(result.agreeing, 7);
    assert.equal(result.differsFromBase, false, 'the paths part at a near-tie, so the base cannot be compared there');
    assert.equal(result.passed, false);
  });

  it('shows the adapter in effect where the paths part decisively', async () => {
    const decisive: ReferencePrompt = {
      ...reference,
      tuned: { ...reference.tuned, steps: reference.tuned.steps.map((s) => (s.piece === 'I' ? { ...s, margin: 2 } : s)) },
    };
    const result = await numericCheck([decisive], following({ tuned: decisive.tuned, base: decisive.base }), { tuned: 'tuned', base: 'base' });
    assert.deepEqual(
      { compared: result.comparedTokens, agreeing: result.agreeing, differs: result.differsFromBase, passed: result.passed },
      { compared: 8, agreeing: 8, differs: true, passed: true },
    );
  });

  it('fails on one decisive disagreement and reports where', async () => {
    const decisive: ReferencePrompt = {
      ...reference,
      tuned: { ...reference.tuned, steps: reference.tuned.steps.map((s) => (s.piece === 'I' ? { ...s, margin: 2 } : s)) },
    };
    const result = await numericCheck([decisive], following({ tuned: decisive.tuned, base: decisive.base }, { 'tuned|{"code": "I50.': '24' }), {
      tuned: 'tuned',
      base: 'base',
    });
    assert.equal(result.passed, false);
    assert.deepEqual(result.mismatches, [{ prompt: 0, step: 7, expected: '23', got: '24', margin: 1.5 }]);
  });

  it('never passes on nothing compared', async () => {
    const result = await numericCheck([], following({}), { tuned: 'tuned', base: 'base' });
    assert.equal(result.passed, false);
  });
});

describe('model card', () => {
  it('names the adapter version by model, date and adapter hash', () => {
    assert.equal(adapterVersionFor('chartcoder-coder', '2026-11-25T02:00:00.000Z', 'ab'.repeat(32)), 'chartcoder-coder-2026-11-25-abababababab');
  });

  it('rejects a card without the base weights hash', () => {
    const parsed = modelCardSchema.safeParse({
      schemaVersion: 1,
      model: 'm',
      adapterVersion: 'v',
      createdAt: 'now',
      change: 'c',
      base: { ollamaModel: 'b', file: 'f' },
    });
    assert.equal(parsed.success, false);
    assert.ok(parsed.error!.issues.some((i) => i.path.join('.') === 'base.sha256'));
  });
});
