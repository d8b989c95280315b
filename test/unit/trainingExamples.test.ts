// Training examples made as inference makes prompts (fakes of the retriever; the real one in integration tests).
import assert from 'node:assert/strict';
import type { EncounterView } from '../../fhir';
import { processEncounter } from '../../server/engine/encounter/processEncounter';
import { promptFor } from '../../server/engine/suggest/chooseForMention';
import { selectMentions, windowAround } from '../../server/engine/suggest/codableMentions';
import { codeBookOf } from '../../server/engine/suggest/codeBook';
import { keyNotes, retrieve } from '../../server/engine/suggest/mentionCandidates';
import { againstSpecificity, checkExample, noExamples, trainingExamples } from '../../server/engine/suggest/trainingExamples';
import { CODE_DOCS } from '../fixtures/knowledge/codeBookDocs';
import { FIXTURE_LEXICON, keywordRetriever } from '../fixtures/knowledge/keywordRetriever';

const book = codeBookOf(2026, CODE_DOCS);
const NOTE = 'Assessment:\n1. Acute on chronic systolic heart failure.\n2. Dyspnea.\n3. No evidence of pneumonia.\n';
const view: EncounterView = {
  encounter: { reference: 'Encounter/synthetic-1', setting: 'inpatient', fiscalYear: 2026 },
  notes: [{ id: 'n#0', reference: 'DocumentReference/n', attachmentIndex: 0, contentType: 'text/plain', text: NOTE }],
  conditions: [],
  procedures: [],
  observations: [],
  medications: [],
  warnings: [],
};

const counts = noExamples;

describe('training examples', () => {
  it('use exactly the inference prompt, target a gold code among the candidates, and quote the note', async () => {
    const encounter = processEncounter(view, FIXTURE_LEXICON);
    const c = counts();
    const examples = await trainingExamples(
      encounter,
      { book, retriever: keywordRetriever },
      { docId: 'doc-1', gold: new Set(['I50.23']), comparable: (x) => x },
      c,
    );
    assert.equal(examples.length, 1);
    const [example] = examples;
    assert.equal(example!.target.code, 'I50.23');
    assert.equal(NOTE.slice(example!.evidence.start, example!.evidence.end), example!.target.quote);
    assert.equal(checkExample(example!, NOTE), undefined);
    const mention = selectMentions(encounter).codable.find((m) => m.text.startsWith('Acute'))!;
    const sentence = NOTE.slice(mention.occurrences[0]!.mention.sentence.start, mention.occurrences[0]!.mention.sentence.end);
    const { ranked } = await retrieve({ book, retriever: keywordRetriever }, mention, sentence, { mode: 'rag' }, () => {}, new Map());
    const inference = promptFor({
      mode: 'rag',
      mention,
      ranked,
      setting: 'inpatient',
      fiscalYear: 2026,
      window: windowAround(NOTE, mention.occurrences[0]!.mention.sentence),
      guidance: [],
      notesOf: (x) => keyNotes(book, x.system, x.code),
    });
    assert.equal(example!.user, inference.user, 'the same prompt as inference');
    assert.deepEqual(example!.schema, inference.schema);
    assert.deepEqual({ ...c }, { ...noExamples(), mentions: 2, retrieved: 1, noGoldInReach: 1 });
  });

  it('a row whose evidence is not in its text is rejected with its id', async () => {
    const [example] = await trainingExamples(
      processEncounter(view, FIXTURE_LEXICON),
      { book, retriever: keywordRetriever },
      { docId: 'doc-2', gold: new Set(['I50.23']), comparable: (x) => x },
      counts(),
    );
    assert.match(
      checkExample({ ...example!, target: { ...example!.target, quote: 'severe cardiomyopathy' } }, NOTE) ?? '',
      /^doc-2#0: the evidence quote is not in the note/,
    );
    assert.match(checkExample({ ...example!, target: { ...example!.target, code: 'Z99.89' } }, NOTE) ?? '', /Z99\.89 is not among the candidates/);
  });

  it('with located gold evidence, labels a mention only with the gold codes whose evidence is on its line', async () => {
    const encounter = processEncounter(view, FIXTURE_LEXICON);
    const elsewhere = counts();
    const none = await trainingExamples(
      encounter,
      { book, retriever: keywordRetriever },
      { docId: 'doc-3', gold: new Set(['I50.23']), comparable: (x) => x, goldAt: () => new Set() },
      elsewhere,
    );
    assert.equal(none.length, 0);
    assert.equal(elsewhere.goldElsewhere, 1);
    const aligned = counts();
    const [lineStart, lineEnd] = [NOTE.indexOf('1. Acute'), NOTE.indexOf('\n2.')];
    const found = await trainingExamples(
      encounter,
      { book, retriever: keywordRetriever },
      {
        docId: 'doc-3',
        gold: new Set(['I50.23']),
        comparable: (x) => x,
        goldAt: (offset) => new Set(offset >= lineStart && offset < lineEnd ? ['I50.23'] : []),
      },
      aligned,
    );
    assert.deepEqual(
      found.map((e) => e.target.code),
      ['I50.23'],
    );
    assert.equal(aligned.evidenceAligned, 1);
  });

  it('does not teach an "unspecified" gold code that the note documents less well than a specific code of its category (Guidelines I.B.18)', () => {
    const ranked = (code: string, title: string, documented: number) => ({
      system: 'icd10cm' as const,
      code,
      title,
      bestScore: 1,
      sources: [],
      documented,
      score: documented,
    });
    const offer = [
      ranked('I50.23', 'Acute on chronic systolic (congestive) heart failure', 0.9),
      ranked('I50.20', 'Unspecified systolic (congestive) heart failure', 0.5),
      ranked('R06.00', 'Dyspnea, unspecified', 0.2),
    ];
    assert.equal(againstSpecificity(offer, 'I50.20'), true);
    assert.equal(againstSpecificity(offer, 'I50.23'), false, 'a specific target is always taught');
    assert.equal(againstSpecificity(offer, 'R06.00'), false, 'no better documented code of its own category');
    assert.equal(againstSpecificity([offer[1]!, offer[0]!], 'I50.20'), false, 'the unspecified code ranked first');
  });
});
