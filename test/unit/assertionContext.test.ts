// Assertion context measured on a written test set (test/fixtures/assertion/sentences.tsv, 169 target mentions).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASSERTION_CATEGORIES, assertionsFor, type AssertionCategory } from '../../server/engine/text/context';
import { detectSections, sectionAt } from '../../server/engine/text/sections';
import { ROOT } from '../helpers/run';

interface Case {
  readonly sentence: string;
  readonly target: string;
  readonly expected: ReadonlySet<AssertionCategory>;
}

const CASES: Case[] = readFileSync(join(ROOT, 'test/fixtures/assertion/sentences.tsv'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() && !line.startsWith('#'))
  .map((line) => {
    const [sentence = '', target = '', expected = ''] = line.split('\t');
    return { sentence, target, expected: new Set(expected === 'none' ? [] : (expected.split(',') as AssertionCategory[])) };
  });

function predict(c: Case): Set<AssertionCategory> {
  const start = c.sentence.indexOf(c.target);
  assert.ok(start >= 0, `target "${c.target}" not in "${c.sentence}"`);
  return new Set(
    assertionsFor({ text: c.sentence, sentence: { start: 0, end: c.sentence.length }, target: { start, end: start + c.target.length } }).map((m) => m.category),
  );
}

describe('assertion context (ConText rules as data)', () => {
  it('has a test set of at least 150 written sentences covering every category', () => {
    assert.ok(CASES.length >= 150, `${CASES.length} cases`);
    for (const category of ASSERTION_CATEGORIES)
      assert.ok(
        CASES.some((c) => c.expected.has(category)),
        category,
      );
  });

  it('reports precision/recall per class; negation F1 ≥ 0.9', () => {
    const rows = ASSERTION_CATEGORIES.map((category) => {
      let tp = 0,
        fp = 0,
        fn = 0;
      const misses: string[] = [];
      for (const c of CASES) {
        const predicted = predict(c).has(category);
        const gold = c.expected.has(category);
        if (predicted && gold) tp++;
        else if (predicted) {
          fp++;
          misses.push(`FP "${c.target}" in "${c.sentence}"`);
        } else if (gold) {
          fn++;
          misses.push(`FN "${c.target}" in "${c.sentence}"`);
        }
      }
      const precision = tp / Math.max(1, tp + fp);
      const recall = tp / Math.max(1, tp + fn);
      const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
      return { category, support: tp + fn, precision, recall, f1, misses };
    });
    for (const r of rows) {
      process.stderr.write(
        `      ${r.category.padEnd(12)} support ${String(r.support).padStart(3)}  P ` +
          `${r.precision.toFixed(3)}  R ${r.recall.toFixed(3)}  F1 ${r.f1.toFixed(3)}\n`,
      );
      for (const miss of r.misses) process.stderr.write(`        ${miss}\n`);
    }
    assert.ok(rows.find((r) => r.category === 'negated')!.f1 >= 0.9);
  });

  it('records the trigger that fired, and ends negation scope at "but"', () => {
    const text = 'Denies chest pain but reports dyspnea.';
    const sentence = { start: 0, end: text.length };
    const [negation] = assertionsFor({ text, sentence, target: { start: 7, end: 17 } });
    assert.deepEqual(negation, { category: 'negated', trigger: { start: 0, end: 6, text: 'Denies' } });
    assert.deepEqual(assertionsFor({ text, sentence, target: { start: 30, end: 37 } }), []);
  });

  it('"when" reaches back three words only; "because", "since" and "origin of" end a scope (medspaCy\'s terminations)', () => {
    const categoriesOf = (text: string, target: string) => {
      const start = text.indexOf(target);
      return assertionsFor({ text, sentence: { start: 0, end: text.length }, target: { start, end: start + target.length } }).map((m) => m.category);
    };
    assert.deepEqual(categoriesOf('Chest pain when climbing stairs.', 'Chest pain'), ['conditional']);
    assert.deepEqual(categoriesOf('Hemangioblastoma diagnosed two years earlier, when she arrived in arrest.', 'Hemangioblastoma'), []);
    assert.deepEqual(categoriesOf('No improvement because the lymphoma progressed.', 'lymphoma'), []);
    assert.deepEqual(categoriesOf('No fever since the infection was treated.', 'infection'), []);
    assert.deepEqual(categoriesOf('The biopsy did not define the origin of the carcinomatosis.', 'carcinomatosis'), []);
    assert.deepEqual(categoriesOf('No fever, cough or dyspnea.', 'dyspnea'), ['negated']);
  });

  it('a Family History section makes its mentions family history, citing the header', () => {
    const text = 'HPI: cough.\nFamily History: colon cancer.';
    const section = sectionAt(detectSections(text), text.indexOf('colon'));
    const start = text.indexOf('colon cancer');
    const modifiers = assertionsFor({
      text,
      sentence: { start: text.indexOf('Family'), end: text.length },
      target: { start, end: start + 12 },
      ...(section ? { section } : {}),
    });
    assert.deepEqual(
      modifiers.map((m) => [m.category, m.trigger.text]),
      [['family', 'Family History']],
    );
  });
});
