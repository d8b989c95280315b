import assert from 'node:assert/strict';
import type { DictionaryEntry } from '../../server/engine/coder/dictionary';
import type { CodeBook } from '../../server/engine/suggest/codeBook';
import type { LearnedCoder } from '../../server/engine/suggest/learnedSuggestions';
import { indexExamples } from '../../server/tooling/train/judge/judgeExamples';
import { freeIndexExamples } from '../../server/tooling/train/judge/freeExamples';

const titles: Record<string, string> = {
  'I50.20': 'Unspecified systolic (congestive) heart failure',
  'I50.21': 'Acute systolic (congestive) heart failure',
  'I50.23': 'Acute on chronic systolic (congestive) heart failure',
  'I50.9': 'Heart failure, unspecified',
  'J18.9': 'Pneumonia, unspecified organism',
  'J18.1': 'Lobar pneumonia, unspecified organism',
};
const book = {
  catalog: () => ({
    lookup: (code: string) => (titles[code] ? { code, title: titles[code], billable: true } : undefined),
    billableUnder: (category: string) =>
      Object.keys(titles)
        .filter((c) => c.startsWith(category))
        .map((code) => ({ code, title: titles[code]!, billable: true })),
  }),
} as unknown as CodeBook;
const entry = (path: string, code: string): DictionaryEntry => ({ terms: [path], code, source: 'index', label: `Index: ${path} → ${code}`, n: 0, tp: 0 });
const entries = [
  entry('Failure, heart, systolic, acute on chronic', 'I50.23'),
  entry('Failure, heart, systolic, acute', 'I50.21'),
  entry('Failure, heart, systolic', 'I50.20'),
  entry('Failure, heart', 'I50.9'),
  entry('Pneumonia, lobar', 'J18.1'),
  entry('Pneumonia', 'J18.9'),
  { ...entry('Pneumonia, evidence only', 'J18.9'), source: 'evidence' as const },
];
const coder = { systems: { icd10cm: { dictionary: { entries } } } } as unknown as LearnedCoder;

describe("the adapter's Alphabetic Index examples in the judge's format", () => {
  it('shows the Index path without its code, and answers with the letter of the code (or N when it was left out)', () => {
    const [example] = indexExamples(coder, book, 10, 7);
    assert.ok(example, 'five Index entries make one example');
    assert.equal(indexExamples(coder, book, 10, 7).length, 1, 'no example from fewer than five entries');
    assert.doesNotMatch(example.user, /→|Index: /);
    const blocks = example.user.split(/\n(?=\d+\. ")/).slice(1);
    assert.equal(blocks.length, 5);
    blocks.forEach((block, i) => {
      const path = /^\d+\. "(.*)"/.exec(block)![1]!;
      const code = entries.find((e) => e.label === `Index: ${path} → ${e.code}`)!.code;
      const letter = example.target[String(i + 1)]!;
      const shown = [...block.matchAll(/^ {3}([A-D])\. ICD-10-CM (\S+)/gm)].map((m) => [m[1], m[2]]);
      if (letter === 'N') assert.ok(!shown.some(([, c]) => c === code), block);
      else
        assert.deepEqual(
          shown.find(([l]) => l === letter),
          [letter, code],
          block,
        );
    });
    const enums = Object.values((example.schema as { properties: Record<string, { enum: string[] }> }).properties).map((p) => p.enum);
    enums.forEach((e, i) => {
      assert.ok(e.includes(example.target[String(i + 1)]!));
    });
  });

  it('is the same for the same seed', () => {
    assert.deepEqual(indexExamples(coder, book, 1, 7), indexExamples(coder, book, 1, 7));
  });
});

describe("the adapter's Alphabetic Index examples in the ft format", () => {
  it('shows the Index path without its code, with its code system, and answers with the code', () => {
    const [example] = freeIndexExamples(coder, book, 10, 7);
    assert.ok(example);
    assert.doesNotMatch(example.user, /→|Index: /);
    const lines = [...example.user.matchAll(/^(\d+)\. ICD-10-CM: "(.*)"$/gm)];
    assert.equal(lines.length, 5);
    for (const [, key, path] of lines) {
      const code = entries.find((e) => e.label === `Index: ${path} → ${e.code}`)!.code;
      assert.equal(example.target[key!], code, path);
      const pattern = (example.schema as { properties: Record<string, { pattern: string }> }).properties[key!]!.pattern;
      assert.match(code, new RegExp(pattern));
    }
  });
});
