import assert from 'node:assert/strict';
import type { EncounterView } from '../../fhir';
import { processEncounter } from '../../server/engine/encounter/processEncounter';
import type { Llm, LlmRequest, TokenLogprob } from '../../server/engine/ports';
import { selectMentions } from '../../server/engine/suggest/codableMentions';
import { codeFromMemory, FREE_SENTENCES, memorySites } from '../../server/engine/suggest/codeFromMemory';
import { freeAnswerOf, freeAnswerPattern, freePrompt } from '../../server/engine/suggest/freePrompt';
import { FIXTURE_LEXICON } from '../fixtures/knowledge/keywordRetriever';

function encounterOf(text: string, setting: 'inpatient' | 'outpatient' = 'inpatient') {
  const view: EncounterView = {
    encounter: { reference: 'Encounter/e1', setting, fiscalYear: 2026 },
    notes: [{ id: 'n1#0', reference: 'DocumentReference/n1', attachmentIndex: 0, contentType: 'text/plain', text }],
    conditions: [],
    procedures: [],
    observations: [],
    medications: [],
    warnings: [],
  };
  return processEncounter(view, FIXTURE_LEXICON);
}

const sitesOf = (text: string, max?: number) => {
  const encounter = encounterOf(text);
  return { encounter, ...memorySites(encounter, selectMentions(encounter).codable, max) };
};

function scripted(content: string, tokens?: TokenLogprob[]): Llm & { requests: LlmRequest[] } {
  const requests: LlmRequest[] = [];
  return {
    model: 'tuned',
    requests,
    async complete(request) {
      requests.push(request);
      return { content, model: 'tuned@abc', tookMs: 7, ...(tokens ? { tokens } : {}) };
    },
  };
}

describe('ft from memory: one call per encounter, no retrieval', () => {
  it('asks the sentences with the most codable mentions, at most FREE_SENTENCES, in note order; negated and family mentions are not asked', () => {
    const lines = [
      'No evidence of pneumonia.',
      'Family history of diabetes.',
      ...['heart failure', 'liver disease', 'lung disease', 'hip fracture', 'renal failure', 'wrist fracture', 'bone disease', 'dyspnea', 'skin disease']
        .slice(0, FREE_SENTENCES)
        .map((finding) => `Seen for ${finding}.`),
      'Chronic kidney disease with diabetes and respiratory failure.',
    ];
    const { encounter, sites, withMentions } = sitesOf(lines.join('\n'));
    assert.equal(sites.length, FREE_SENTENCES);
    assert.equal(withMentions, FREE_SENTENCES + 1, 'every sentence with codable mentions is counted, asked or not');
    const texts = sites.map((s) => s.sentence.text);
    assert.ok(!texts.some((t) => /pneumonia|Family/.test(t)), texts.join(' | '));
    assert.equal(texts.at(-1), 'Chronic kidney disease with diabetes and respiratory failure.', 'the sentence with three mentions is asked');
    assert.deepEqual(
      sites.map((s) => s.noteIndex * 1e6 + s.sentenceIndex),
      [...sites.map((s) => s.noteIndex * 1e6 + s.sentenceIndex)].sort((a, b) => a - b),
      'in note order',
    );
    const note = encounter.notes[0]!;
    for (const site of sites) {
      const sentence = note.processed.sentences[site.sentenceIndex]!;
      assert.equal(note.text.slice(sentence.start, sentence.end), site.sentence.text);
      const { start, end } = site.sentence.focus;
      assert.ok(site.sentence.text.slice(start, end).includes(site.mention.text), `${site.mention.text} in the focus`);
    }
  });

  it('the prompt numbers the sentences with their code system; the schema allows a code of that shape (or none, for training)', () => {
    const prompt = freePrompt(
      [
        { text: 'Acute on chronic "systolic" heart failure.', focus: { start: 0, end: 10 }, system: 'ICD-10-CM' },
        { text: 'Laparoscopic appendectomy.', focus: { start: 0, end: 5 }, system: 'ICD-10-PCS' },
      ],
      'code-or-none',
    );
    assert.match(prompt.user, /\n1\. ICD-10-CM: "Acute on chronic 'systolic' heart failure\."\n2\. ICD-10-PCS: "Laparoscopic appendectomy\."$/);
    const properties = (prompt.schema as { properties: Record<string, { pattern: string }> }).properties;
    assert.deepEqual(Object.keys(properties), ['1', '2']);
    const cm = new RegExp(properties['1']!.pattern);
    const pcs = new RegExp(properties['2']!.pattern);
    for (const ok of ['I50.23', 'E11.9', 'S72.001A', 'none']) assert.ok(cm.test(ok), ok);
    for (const bad of ['I50.', 'heart failure', '0DTJ4ZZ']) assert.ok(!cm.test(bad), bad);
    for (const ok of ['0DTJ4ZZ', 'none']) assert.ok(pcs.test(ok), ok);
    for (const bad of ['0DTJ4ZO', 'I50.23']) assert.ok(!pcs.test(bad), bad);
    assert.equal(freeAnswerPattern('ICD-10-CM', 'code-or-none'), properties['1']!.pattern);
    const inference = new RegExp(freeAnswerPattern('ICD-10-CM', 'code'));
    assert.ok(inference.test('I50.23') && !inference.test('none'), 'inference asks for a code');
    assert.equal(freeAnswerOf('none', 'ICD-10-CM'), undefined);
    assert.equal(freeAnswerOf('0DTJ4ZZ', 'ICD-10-CM'), undefined, 'a code of another system is no answer');
    assert.equal(freeAnswerOf(42, 'ICD-10-CM'), undefined);
  });

  it("reads each sentence's code, with the probability of its tokens; a sentence left unanswered is said", async () => {
    const { sites } = sitesOf('Acute heart failure.\nChronic kidney disease.\nType 2 diabetes.');
    assert.equal(sites.length, 3);
    assert.doesNotMatch(JSON.stringify(freePrompt([sites[0]!.sentence], 'code').schema), /none/);
    const content = '{"1": "I50.9", "2": "none"}';
    const pieces = ['{"1": "', 'I50', '.9', '", "2": "', 'none', '"}'];
    const tokens = pieces.map((token) => ({ token, logprob: token === 'I50' ? Math.log(0.5) : token === '.9' ? Math.log(0.8) : 0 }));
    const llm = scripted(content, tokens);
    const outcome = await codeFromMemory(sites, llm, new AbortController().signal);
    assert.equal(llm.requests.length, 1);
    assert.deepEqual(
      outcome.codes.map((c) => [c.site.sentence.text, c.code]),
      [['Acute heart failure.', 'I50.9']],
    );
    assert.ok(Math.abs(outcome.codes[0]!.probability! - 0.4) < 1e-9);
    assert.equal(outcome.model, 'tuned@abc');
    assert.equal(outcome.call?.failure, "the model's answer gave no code for 1 of 3 sentences");
  });

  it('a code written for several sentences is kept once, where it was most probable', async () => {
    const { sites } = sitesOf('Acute heart failure.\nChronic kidney disease.\nType 2 diabetes.');
    const pieces = ['{"1": "', 'I50.9', '", "2": "', 'I50.9', '", "3": "', 'E11.9', '"}'];
    const p = [0, Math.log(0.3), 0, Math.log(0.6), 0, Math.log(0.9), 0];
    const outcome = await codeFromMemory(
      sites,
      scripted(
        pieces.join(''),
        pieces.map((token, i) => ({ token, logprob: p[i]! })),
      ),
      new AbortController().signal,
    );
    assert.deepEqual(
      outcome.codes.map((c) => [c.code, c.site.sentence.text, Number(c.probability!.toFixed(2))]),
      [
        ['I50.9', 'Chronic kidney disease.', 0.6],
        ['E11.9', 'Type 2 diabetes.', 0.9],
      ],
    );
    assert.equal(outcome.call?.failure, undefined);
  });

  it('a call ended by the deadline says why, and codes nothing', async () => {
    const { sites } = sitesOf('Acute heart failure.');
    const deadline = new AbortController();
    deadline.abort(new Error("the encounter's 60 s for the model were used up"));
    const refusing: Llm = { model: 'tuned', complete: async () => Promise.reject(new Error('aborted')) };
    const outcome = await codeFromMemory(sites, refusing, deadline.signal);
    assert.deepEqual(outcome.codes, []);
    assert.equal(outcome.call?.failure, "the encounter's 60 s for the model were used up");
    assert.deepEqual(await codeFromMemory([], refusing, deadline.signal), { codes: [] }, 'nothing to ask: no call');
  });
});
