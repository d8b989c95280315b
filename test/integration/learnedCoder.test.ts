// The learned coding model as users get it (chartcoder-coding, trained on CodiEsp train + dev) behind retrieval mode
// on the real FY2026 code book and Index: plain phrasings get the obvious code, every suggestion names the model's
// version, evidence slices back to the note, and nothing comes from a negated mention.
import assert from 'node:assert/strict';
import { encounterOfNote } from '../../fhir';
import { finalResult } from '../../server/engine/suggest/suggestEncounter';
import type { SuggestResult } from '../../server/engine/suggest/suggestion';
import { codingModelDir, DEFAULT_CODING_MODEL, readCodingCard } from '../../server/suggest/codingModels';
import type { Suggester } from '../../server/suggest/openSuggester';
import { ROOT } from '../helpers/run';
import { sharedSuggester } from '../helpers/suggesters';

const codesOf = (r: SuggestResult): string[] => r.suggestions.map((s) => s.code);

describe('learned coding model (retrieval mode)', function () {
  this.timeout(10 * 60 * 1000);
  let suggester: Suggester;
  const code = async (text: string) => finalResult(suggester.suggest(encounterOfNote({ name: `plain:${text.slice(0, 20)}`, text, date: '2026-01-15' }), { mode: 'retrieval' }));

  before(async () => { suggester = await sharedSuggester('embedded'); });

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

  it('names the committed model\'s version in every suggestion; confidences are the ranker\'s; evidence is exact', async () => {
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
});
