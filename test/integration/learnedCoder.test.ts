// The learned coding model as users get it (chartcoder-coding, trained on CodiEsp train + dev) behind retrieval mode
// on the real FY2026 code book and Index: plain phrasings get the obvious code, every suggestion names the model's
// version, evidence slices back to the note, and nothing comes from a negated mention.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDecisionLog } from '../../server/adapters/stores/decisionLog';
import { readEncounter } from '../../server/app/readEncounter';
import { openSuggester } from '../../server/app/openSuggester';
import { localSettings } from '../helpers/settings';
import { cli } from '../helpers/run';
import { encounterOfNote } from '../../fhir';
import { finalResult } from '../../server/engine/suggest/suggestEncounter';
import type { SuggestResult } from '../../server/engine/suggest/suggestion';
import { codingModelDir, DEFAULT_CODING_MODEL, readCodingCard } from '../../server/app/codingModels';
import type { OpenedSuggester as Suggester } from '../../server/app/openSuggester';
import { ROOT } from '../helpers/run';
import { sharedParts, sharedSuggester } from '../helpers/suggesters';

const codesOf = (r: SuggestResult): string[] => r.suggestions.map((s) => s.code);

describe('learned coding model (retrieval mode)', function () {
  this.timeout(10 * 60 * 1000);
  let suggester: Suggester;
  const code = async (text: string) =>
    finalResult(suggester.suggest(encounterOfNote({ name: `plain:${text.slice(0, 20)}`, text, date: '2026-01-15' }), { mode: 'retrieval' }));

  before(async () => {
    suggester = await sharedSuggester('embedded');
  });

  const plain: readonly [string, string, string][] = [
    ['Hypertension.', 'I10', 'I1A.0'],
    ['Assessment: type 2 diabetes mellitus without complications.', 'E11.9', 'E11.8'],
    ['Known hypertension end of visit.', 'I10', 'I12.0'],
  ];
  for (const [text, expected, not] of plain) {
    it(`"${text}" → ${expected}, not ${not}`, async () => {
      const result = await code(text);
      assert.ok(codesOf(result).includes(expected), codesOf(result).join(' '));
      assert.ok(!codesOf(result).includes(not), codesOf(result).join(' '));
    });
  }

  it("names the committed model's version in every suggestion; confidences are the ranker's; evidence is exact", async () => {
    const card = readCodingCard(codingModelDir(ROOT, DEFAULT_CODING_MODEL));
    const text = 'Patient admitted with community acquired pneumonia.\nNo evidence of pulmonary embolism.\nHistory of hypertension and type 2 diabetes.';
    const result = await code(text);
    assert.ok(result.suggestions.length > 0);
    for (const s of result.suggestions) {
      assert.equal(s.provenance.codingModel, card.version);
      assert.equal(s.confidenceBasis, 'ranker');
      for (const e of s.evidence) assert.equal(text.slice(e.start, e.end), e.text);
    }
    assert.ok(!codesOf(result).some((c) => c.startsWith('I26')), 'pulmonary embolism is negated');
  });

  it("reaches codes through the code set's own references: the Table of Neoplasms, Index 'see', the External Cause Index", async () => {
    const text = 'Biopsy showed a squamous cell carcinoma of the larynx.\nShe reported vomiting of blood.\nShe had a fall from a ladder at home.';
    const result = await finalResult(
      suggester.suggest(encounterOfNote({ name: 'plain:references', text, date: '2026-01-15' }), { mode: 'retrieval', collectCandidates: true }),
    );
    const candidates = (result.candidates ?? []).map((c) => c.code);
    for (const [prefix, how] of [
      ['C32.9', 'Neoplasm, larynx, malignant primary'],
      ['K92.0', 'Vomiting, blood — see Hematemesis'],
      ['W11', 'Fall, from, ladder (External Cause Index)'],
    ])
      assert.ok(
        candidates.some((c) => c.startsWith(prefix!)),
        `${how}: ${candidates.join(' ')}`,
      );
  });

  it('a code found only in a negated mention ranks among the candidates marked excluded, never offered or suggested', async () => {
    const text = 'Patient admitted with community acquired pneumonia.\nNo evidence of pulmonary embolism.';
    const result = await finalResult(
      suggester.suggest(encounterOfNote({ name: 'plain:excluded', text, date: '2026-01-15' }), { mode: 'retrieval', collectCandidates: true }),
    );
    const embolism = (result.candidates ?? []).filter((c) => c.code.startsWith('I26'));
    assert.ok(embolism.length > 0, 'the negated pulmonary embolism is a candidate of the retriever layer');
    for (const c of embolism) assert.deepEqual([c.excluded, c.offered], [true, false]);
    assert.ok(result.excludedOnly?.some((k) => k.startsWith('icd10cm|I26')));
    assert.ok(!codesOf(result).some((c) => c.startsWith('I26')));
  });
});

describe("learned coding model: taught by coders' decisions", function () {
  this.timeout(20 * 60 * 1000);
  const name = 'chartcoder-coding-pipeline-test';
  after(() => rmSync(codingModelDir(ROOT, name), { recursive: true, force: true }));

  it('a code a coder put in place of a suggestion today is suggested for the same words tomorrow (train coder --decisions)', async () => {
    const work = mkdtempSync(join(tmpdir(), 'chartcoder-taught-'));
    const note = join(work, 'hf.note.txt');
    const text = 'Assessment:\n1. Decompensated heart failure, admitted for diuresis.\n';
    writeFileSync(note, text);
    const view = await readEncounter(localSettings(), { kind: 'note', path: note });
    const before = await finalResult((await sharedSuggester('embedded')).suggest(view, { mode: 'retrieval' }));
    const replaced = before.suggestions.find((s) => s.code.startsWith('I50'));
    assert.ok(replaced, `the shipped model suggests a heart failure code: ${before.suggestions.map((s) => s.code).join(' ')}`);
    assert.ok(!before.suggestions.some((s) => s.code === 'I50.43'));
    const log = join(work, 'decisions.jsonl');
    const decisions = openDecisionLog(log);
    decisions.record({
      subject: pathToFileURL(note).href,
      suggestionId: replaced.id,
      action: 'replace',
      replacementCode: 'I50.43',
      user: 'synthetic-coder',
      time: '2026-12-01T00:00:00Z',
      provenance: {},
    });
    decisions.close();
    const trained = await cli(['train', 'coder', '--limit', '40', '--decisions', log, '--name', name], process.env, true);
    assert.equal(trained.code, 0, trained.stderr.slice(-800));
    const card = readCodingCard(codingModelDir(ROOT, name));
    assert.ok(card.documents.includes(`decisions:${pathToFileURL(note).href}`));
    const taught = await openSuggester(localSettings(), { projectRoot: ROOT, parts: await sharedParts('embedded'), codingModel: name });
    const after = await finalResult(taught.suggest(view, { mode: 'retrieval' }));
    const learned = after.suggestions.find((s) => s.code === 'I50.43');
    assert.ok(learned, after.suggestions.map((s) => `${s.code} ${s.confidence}`).join(' '));
    assert.ok(
      learned.evidence.some((e) => e.text.includes('heart failure')),
      JSON.stringify(learned.evidence),
    );
    assert.equal(learned.provenance.codingModel, card.version);
  });
});
