// Training examples made as inference makes prompts (fakes of the retriever; the real one in integration tests).
import assert from 'node:assert/strict';
import type { EncounterView } from '../../fhir';
import { processEncounter } from '../../server/engine/encounter/processEncounter';
import type { Retriever, SearchHit } from '../../server/engine/retrieve/search';
import { promptFor } from '../../server/engine/suggest/chooseForMention';
import { selectMentions, windowAround } from '../../server/engine/suggest/codableMentions';
import { codeBookOf } from '../../server/engine/suggest/codeBook';
import { keyNotes, retrieve } from '../../server/engine/suggest/mentionCandidates';
import { checkExample, trainingExamples, type ExampleCounts } from '../../server/engine/suggest/trainingExamples';
import { normalizeClinicalText } from '../../server/engine/text/normalize';
import { CODE_DOCS } from '../fixtures/knowledge/codeBookDocs';

const book = codeBookOf(2026, CODE_DOCS);
const LEXICON = new Set(['failur', 'pneumonia', 'diabet', 'kidnei', 'diseas', 'fractur', 'dyspnea']);
const NOTE = 'Assessment:\n1. Acute on chronic systolic heart failure.\n2. Dyspnea.\n3. No evidence of pneumonia.\n';
const tokens = (text: string) => new Set(normalizeClinicalText(text).tokens);

const retriever: Retriever = {
  async search(request) {
    const query = tokens(request.text);
    const hits: SearchHit[] = CODE_DOCS.filter((d) => !request.filters?.kinds || request.filters.kinds.includes(d.kind))
      .map((doc) => ({ doc, overlap: [...tokens(doc.title)].filter((t) => query.has(t)).length })).filter((x) => x.overlap > 0)
      .sort((a, b) => b.overlap - a.overlap).slice(0, request.k ?? 10)
      .map((x, i) => ({ doc: x.doc, fusedScore: 1 / (61 + i), ranks: { bm25: i + 1 }, scores: { bm25: x.overlap } }));
    return { hits, legs: { bm25: { state: 'ok', hits: hits.length, tookMs: 0 }, knn: { state: 'skipped', reason: 'fake' } }, fusion: 'single-leg', query: { terms: [], expansions: [], truncated: false }, backend: 'fake', indexVersion: 'fake' };
  },
};

const view: EncounterView = {
  encounter: { reference: 'Encounter/synthetic-1', setting: 'inpatient', fiscalYear: 2026 },
  notes: [{ id: 'n#0', reference: 'DocumentReference/n', attachmentIndex: 0, contentType: 'text/plain', text: NOTE }],
  conditions: [], procedures: [], observations: [], medications: [], warnings: [],
};

const counts = (): ExampleCounts => ({ mentions: 0, retrieved: 0, goldAdded: 0, noGoldInReach: 0, evidenceNotFound: 0 });

describe('training examples', () => {
  it('use exactly the inference prompt, target a gold code among the candidates, and quote the note', async () => {
    const encounter = processEncounter(view, LEXICON);
    const c = counts();
    const examples = await trainingExamples(encounter, { book, retriever }, { docId: 'doc-1', gold: new Set(['I50.23']), comparable: (x) => x }, c);
    assert.equal(examples.length, 1);
    const [example] = examples;
    assert.equal(example!.target.code, 'I50.23');
    assert.equal(NOTE.slice(example!.evidence.start, example!.evidence.end), example!.target.quote);
    assert.equal(checkExample(example!, NOTE), undefined);
    const mention = selectMentions(encounter).codable.find((m) => m.text.startsWith('Acute'))!;
    const sentence = NOTE.slice(mention.occurrences[0]!.mention.sentence.start, mention.occurrences[0]!.mention.sentence.end);
    const { ranked } = await retrieve({ book, retriever }, mention, sentence, { mode: 'rag' }, () => {}, new Map());
    const inference = promptFor({ mode: 'rag', mention, ranked, setting: 'inpatient', fiscalYear: 2026, window: windowAround(NOTE, mention.occurrences[0]!.mention.sentence), guidance: [], notesOf: (x) => keyNotes(book, x.system, x.code) });
    assert.equal(example!.user, inference.user, 'the same prompt as inference');
    assert.deepEqual(example!.schema, inference.schema);
    assert.deepEqual({ ...c }, { mentions: 2, retrieved: 1, goldAdded: 0, noGoldInReach: 1, evidenceNotFound: 0 });
  });

  it('a row whose evidence is not in its text is rejected with its id', async () => {
    const [example] = await trainingExamples(processEncounter(view, LEXICON), { book, retriever }, { docId: 'doc-2', gold: new Set(['I50.23']), comparable: (x) => x }, counts());
    assert.match(checkExample({ ...example!, target: { ...example!.target, quote: 'severe cardiomyopathy' } }, NOTE) ?? '', /^doc-2#0: the evidence quote is not in the note/);
    assert.match(checkExample({ ...example!, target: { ...example!.target, code: 'Z99.89' } }, NOTE) ?? '', /Z99\.89 is not among the candidates/);
  });
});
