import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCodiesp } from '../../server/tooling/evaluate/codiesp';
import { processNote } from '../../server/engine/text/processNote';
import { clinicalLexicon } from '../../server/knowledge/lexicon';
import { readRelease } from '../../server/knowledge/release';
import { lastLine, ROOT, run } from '../helpers/run';

describe('mentions with assertion context', function () {
  this.timeout(60_000);
  const lexicon = clinicalLexicon(readRelease(join(ROOT, 'data/fy2026.release.json')));
  const file = join(ROOT, 'test/fixtures/notes/synthetic-chf-admission.txt');
  const text = readFileSync(file, 'utf8');

  it('extracts problem and procedure phrases with their context, modifiers and expansions', () => {
    const got = processNote(text, lexicon).mentions.map((m) => [
      m.text,
      m.kind,
      m.section,
      m.assertions.map((a) => `${a.category}:${a.trigger.text}`).join(' '),
    ]);
    const expected = [
      ['CHF', 'problem', 'hpi', 'historical:h/o'],
      ['DM2', 'problem', 'hpi', 'historical:h/o'],
      ['SOB', 'problem', 'hpi', ''],
      ['chest pain', 'problem', 'hpi', 'negated:Denies'],
      ['dyspnea', 'problem', 'hpi', 'conditional:on exertion'],
      ['Hypertension', 'problem', 'past-medical-history', ''],
      ['CKD stage 3', 'problem', 'past-medical-history', ''],
      ['colon cancer', 'problem', 'family-history', 'family:Family History'],
      ['Acute on chronic systolic heart failure', 'problem', 'assessment-plan', ''],
      ['MI', 'problem', 'assessment-plan', 'possible:r/o'],
      ['left total knee replacement', 'procedure', 'assessment-plan', 'historical:Status post'],
      ['Type 2 diabetes mellitus with diabetic chronic kidney disease', 'problem', 'assessment-plan', ''],
    ];
    for (const mention of expected)
      assert.ok(
        got.some((g) => JSON.stringify(g) === JSON.stringify(mention)),
        `missing ${JSON.stringify(mention)} in ${JSON.stringify(got)}`,
      );
    const heart = processNote(text, lexicon).mentions.find((m) => m.text.startsWith('Acute on chronic'));
    assert.deepEqual(heart?.modifiers, { acuity: 'acute on chronic' });
    assert.deepEqual(processNote(text, lexicon).mentions.find((m) => m.text === 'CHF')?.expansions, [
      { abbreviation: 'chf', expansion: 'congestive heart failure' },
    ]);
  });

  it('every mention, sentence and section slices back to its text, on the fixture and 100 CodiEsp dev documents', async () => {
    const cases = (await readCodiesp(join(ROOT, '..', 'shared', 'data', 'codiesp'), mkdtempSync(join(tmpdir(), 'chartcoder-codiesp-')), 'dev')).slice(0, 100);
    let mentions = 0;
    for (const doc of [{ id: 'fixture', text }, ...cases]) {
      const note = processNote(doc.text, lexicon);
      for (const m of note.mentions) {
        assert.equal(doc.text.slice(m.start, m.end), m.text, doc.id);
        assert.ok(m.start >= m.sentence.start && m.end <= m.sentence.end, doc.id);
        for (const a of m.assertions) assert.equal(doc.text.slice(a.trigger.start, a.trigger.end), a.trigger.text, doc.id);
      }
      mentions += note.mentions.length;
    }
    assert.ok(mentions > 1_000, `${mentions} mentions`);
  });

  it('CLI: `chartcoder encounter note.txt` prints mentions with offsets; an unknown input kind gets a one-line error', async () => {
    const cli = (args: string[]) => run(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'cli.ts'), ...args]);
    const ok = await cli(['encounter', file, '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    const parsed = JSON.parse(ok.stdout) as { notes: { text: string; processed: { mentions: { start: number; end: number; text: string }[] } }[] };
    const [note] = parsed.notes;
    assert.ok(note && note.processed.mentions.length >= 10);
    assert.ok(note.processed.mentions.every((m) => note.text.slice(m.start, m.end) === m.text));
    const bad = await cli(['encounter', 'scan.pdf']);
    assert.equal(bad.code, 2);
    assert.equal(lastLine(bad.stderr), 'chartcoder: scan.pdf: expected a .txt or .html note or a .json Bundle');
  });
});
