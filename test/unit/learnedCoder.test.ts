// The learned coder's pure parts: matching terms, the word-order-free dictionary with exact ranges and subsumption,
// assertions that exclude hits, the tree loader against what training computed, IBM Model 1, MAP, and the refusal
// to evaluate a model on its own training documents.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assessHits, type NoteText } from '../../server/engine/coder/codeNote';
import { buildDictionary, type DictionaryEntry } from '../../server/engine/coder/dictionary';
import { candidatesOf, FEATURES, type FeatureContext } from '../../server/engine/coder/features';
import { calibrate, rawProbability, type RankerModel } from '../../server/engine/coder/ranker';
import { noteTerms, phraseTerms } from '../../server/engine/coder/terms';
import { meanAveragePrecision } from '../../server/engine/metrics/codingMetrics';
import { detectSections } from '../../server/engine/text/sections';
import { splitSentences } from '../../server/engine/text/sentences';
import { refuseTrainedOn } from '../../server/tooling/commands/runEval';
import { codingModelDir, readCodingModel, TRAIN_ONLY_CODING_MODEL, DEFAULT_CODING_MODEL } from '../../server/app/codingModels';
import { probabilityOf, trainModel1 } from '../../server/tooling/train/coder/ibmModel1';
import { ROOT } from '../helpers/run';
import { verifyCode } from '../../server/engine/suggest/codeValidity';
import { chooseThreshold } from '../../server/tooling/train/coder/chooseThreshold';
import { rankedRecall } from '../../server/tooling/train/coder/rankedRecall';
import { knowledgeEntries, resolveCode } from '../../server/engine/coder/knowledgeEntries';
import { seeTargets } from '../../server/engine/coder/seeReferences';
import { behaviourTerm, morphologyClasses, neoplasmEntries, NEOPLASM_TERM } from '../../server/engine/coder/neoplasmEntries';
import { buildNeighbourIndex, neighbourSearch } from '../../server/engine/coder/neighbours';
import { codeBookOf } from '../../server/engine/suggest/codeBook';
import { readCodiespCorpus } from '../../server/tooling/train/coder/codedCorpus';
import { trainCoder } from '../../server/tooling/train/coder/trainCoder';
import { silentProgress } from '../../server/indexing/progress';

const entry = (phrase: string, code: string, source: DictionaryEntry['source'] = 'evidence', n = 0, tp = 0): DictionaryEntry => ({
  terms: phraseTerms(phrase),
  code,
  source,
  n,
  tp,
});
const noteOf = (text: string): NoteText => ({ text, sentences: splitSentences(text), sections: detectSections(text) });

/** A feature context of a model that knows nothing yet, apart from the codes its charts held per category. */
const featureContext = (entries: readonly DictionaryEntry[], codesOfCategory: (category: string) => readonly string[] = () => []): FeatureContext => ({
  entries,
  codeStats: () => undefined,
  categoryDocs: () => 0,
  trainingDocuments: 10,
  isBillable: () => true,
  textLength: 100,
  termCount: 10,
  neighbourScore: () => 0,
  codesOfCategory,
});

function hitsIn(text: string, entries: readonly DictionaryEntry[]) {
  const note = noteOf(text);
  const dictionary = buildDictionary(entries);
  return { note, dictionary, hits: assessHits(note, dictionary.match(noteTerms(note.text, note.sentences))) };
}

describe('learned coder: terms and dictionary', () => {
  it('terms fold spelling, expand abbreviations, drop stopwords and ignore word order', () => {
    assert.deepEqual(phraseTerms('Oedema of the leg'), phraseTerms('leg edema'));
    assert.deepEqual(phraseTerms('haemorrhage'), phraseTerms('hemorrhage'));
    assert.deepEqual(phraseTerms('CKD'), phraseTerms('chronic kidney disease'));
    assert.deepEqual(phraseTerms('liver metastases'), phraseTerms('Metastasis, liver'));
    assert.deepEqual(phraseTerms('renal calculi'), phraseTerms('renal calculus'));
    assert.deepEqual(phraseTerms('esophageal varices'), phraseTerms('esophageal varix'));
    assert.deepEqual(phraseTerms('type II diabetes'), phraseTerms('Diabetes, type 2'));
    assert.deepEqual(phraseTerms('faecal incontinence'), phraseTerms('fecal incontinence'));
    assert.deepEqual(phraseTerms('acute on chronic systolic heart failure'), phraseTerms('Failure, heart, systolic, acute and chronic'));
  });

  it('an anatomical adjective also stands for its organ: "renal cyst" meets the Index\'s "Cyst, kidney"', () => {
    const { note, hits } = hitsIn('Ultrasound showed a simple renal cyst.', [entry('Cyst, kidney', 'N28.1', 'index')]);
    assert.equal(hits.length, 1);
    assert.equal(note.text.slice(hits[0]!.start, hits[0]!.end), 'renal cyst');
    assert.ok(phraseTerms('renal').includes(phraseTerms('kidney')[0]!));
  });

  it('matches an entry word-order-free within one sentence, as the exact range from its first to its last word', () => {
    const { note, hits } = hitsIn('Seen today.\nChronic kidney disease, stage 3a, stable.', [entry('stage 3a chronic kidney disease', 'N18.31')]);
    assert.equal(hits.length, 1);
    assert.equal(note.text.slice(hits[0]!.start, hits[0]!.end), 'Chronic kidney disease, stage 3a');
  });

  it('never matches across sentences', () => {
    const { hits } = hitsIn('The heart was normal.\nNo acute failure of the graft.', [entry('heart failure', 'I50.9')]);
    assert.equal(hits.length, 0);
  });

  it('marks a hit inside a longer one as subsumed (the longest match wins)', () => {
    const { hits, dictionary } = hitsIn('Acute on chronic systolic heart failure.', [
      entry('heart failure', 'I50.9', 'index'),
      entry('acute on chronic systolic heart failure', 'I50.23', 'index'),
    ]);
    const byCode = new Map(hits.map((h) => [dictionary.entries[h.entry]!.code, h]));
    assert.equal(byCode.get('I50.9')!.subsumed, true);
    assert.equal(byCode.get('I50.23')!.subsumed, false);
  });

  it('excludes negated and family hits, and a hit whose own words hold a negation; keeps history as a feature', () => {
    const entries = [
      entry('pneumonia', 'J18.9'),
      entry('type 2 diabetes', 'E11.9'),
      entry('type 2 diabetes complications', 'E11.8'),
      entry('hypertension', 'I10'),
    ];
    const { hits, dictionary } = hitsIn('No evidence of pneumonia.\nType 2 diabetes mellitus without complications.\nHistory of hypertension.', entries);
    const assertion = (code: string) => hits.filter((h) => dictionary.entries[h.entry]!.code === code).map((h) => h.assertion);
    assert.deepEqual(assertion('J18.9'), ['excluded']);
    assert.deepEqual(assertion('E11.9'), ['affirmed']);
    assert.deepEqual(assertion('E11.8'), ['excluded']);
    assert.deepEqual(assertion('I10'), ['historical']);
    const { candidates, excludedOnly, excluded } = candidatesOf(hits, featureContext(dictionary.entries));
    assert.deepEqual(candidates.map((c) => c.code).sort(), ['E11.9', 'I10']);
    assert.deepEqual(excludedOnly.sort(), ['E11.8', 'J18.9']);
    for (const c of candidates) assert.equal(c.features.length, FEATURES.length);
    // The excluded codes keep their words for the retriever layer (scored as if affirmed), apart from the candidates,
    // and E11.8 sees E11.9 as the codable rival of its category.
    assert.deepEqual(excluded.map((c) => c.code).sort(), ['E11.8', 'J18.9']);
    const e118 = excluded.find((c) => c.code === 'E11.8')!;
    assert.equal(e118.hits[0]!.assertion, 'excluded');
    assert.equal(e118.features[FEATURES.indexOf('excludedShare')], 0);
    assert.equal(e118.features[FEATURES.indexOf('categoryCompetitors')], 1);
  });

  it("proposes the codes training charts held in a matched code's category, on its words, never an excluded one", () => {
    const entries = [entry('pneumonitis', 'J18.0'), entry('lobar pneumonia', 'J18.1'), entry('aspiration', 'J69.0')];
    const { hits, dictionary } = hitsIn('Pneumonitis of the right lobe.\nNo lobar pneumonia, no aspiration.', entries);
    const held: Record<string, readonly string[]> = { J18: ['J18.9', 'J18.0', 'J18.1', 'J18.8'], J69: ['J69.0', 'J69.1'] };
    const { candidates } = candidatesOf(
      hits,
      featureContext(dictionary.entries, (c) => held[c] ?? []),
    );
    const matched = candidates.find((c) => c.code === 'J18.0')!;
    const siblings = candidates.filter((c) => c.siblingOf);
    assert.deepEqual(
      siblings.map((c) => [c.code, c.siblingOf]),
      [
        ['J18.9', 'J18.0'],
        ['J18.8', 'J18.0'],
      ],
    );
    assert.deepEqual(siblings[0]!.hits, matched.hits);
    const sibling = FEATURES.indexOf('sibling');
    assert.deepEqual(
      candidates.map((c) => c.features[sibling]),
      [0, 1, 1],
    );
    assert.equal(siblings[0]!.features[FEATURES.indexOf('sameSubcategory')], 0);
    assert.equal(siblings[0]!.features[FEATURES.indexOf('categoryCompetitors')], 1);
  });
});

describe('learned coder: ranker loader', () => {
  const stump: RankerModel = {
    features: ['a'],
    trees: [{ f: 0, t: 0.5, nanLeft: true, l: { v: -1 }, r: { v: 1 } }],
    calibration: { x: [0.2, 0.8], y: [0.1, 0.9] },
    threshold: 0.5,
  };

  it('sums leaves, squashes, and interpolates the calibration', () => {
    assert.ok(Math.abs(rawProbability(stump, [0]) - 1 / (1 + Math.E)) < 1e-12);
    assert.ok(Math.abs(rawProbability(stump, [1]) - 1 / (1 + Math.exp(-1))) < 1e-12);
    assert.equal(rawProbability(stump, [Number.NaN]), rawProbability(stump, [0]));
    assert.ok(Math.abs(calibrate(stump.calibration, 0.5) - 0.5) < 1e-12);
    assert.equal(calibrate(stump.calibration, 0.0), 0.1);
    assert.equal(calibrate(stump.calibration, 1.0), 0.9);
  });

  for (const name of [TRAIN_ONLY_CODING_MODEL, DEFAULT_CODING_MODEL]) {
    it(`reproduces the probabilities LightGBM computed for the committed ${name}`, function () {
      const dir = codingModelDir(ROOT, name);
      if (!existsSync(join(dir, 'card.json'))) this.skip();
      const { model } = readCodingModel(dir);
      for (const system of Object.values(model.systems)) {
        assert.ok(system.ranker.check?.length);
        for (const { row, raw } of system.ranker.check!) assert.ok(Math.abs(rawProbability(system.ranker, row) - raw) < 1e-9, `${raw}`);
      }
    });
  }
});

describe('learned coder: training and evaluation helpers', () => {
  it('IBM Model 1 learns word translations from sentence pairs', () => {
    const table = trainModel1(
      [
        [
          ['la', 'casa'],
          ['the', 'house'],
        ],
        [
          ['la', 'casa', 'azul'],
          ['the', 'blue', 'house'],
        ],
        [
          ['la', 'flor'],
          ['the', 'flower'],
        ],
      ],
      10,
    );
    assert.ok(probabilityOf(table, 'casa', 'house') > probabilityOf(table, 'casa', 'the'));
    assert.ok(probabilityOf(table, 'azul', 'blue') > 0.3);
  });

  it("MAP averages per document the precision at each gold code's rank", () => {
    assert.equal(meanAveragePrecision([{ ranked: ['a', 'x', 'b'], gold: new Set(['a', 'b']) }]), (1 + 2 / 3) / 2);
    assert.equal(meanAveragePrecision([{ ranked: ['x'], gold: new Set(['a']) }]), 0);
  });

  it('refuses to evaluate a model on documents its card says it was trained on, naming the model to use', () => {
    assert.throws(
      () => refuseTrainedOn({ name: 'chartcoder-coding', documents: ['codiesp:a', 'codiesp:b'] }, ['codiesp:b', 'codiesp:c']),
      /trained on 1 of these 2 documents.*chartcoder-coding-train/,
    );
    assert.doesNotThrow(() => refuseTrainedOn({ name: 'chartcoder-coding-train', documents: ['codiesp:a'] }, ['codiesp:c']));
  });
});

describe('learned coder: bad training input', () => {
  const book = codeBookOf(2026, [
    {
      id: 'icd10cm:2026:code:J18.9',
      kind: 'code',
      system: 'icd10cm',
      systemUri: 'http://hl7.org/fhir/sid/icd-10-cm',
      fy: 2026,
      title: 'Pneumonia, unspecified organism',
      text: '',
      code: 'J18.9',
      codes: ['J18.9'],
      billable: true,
      source: { file: 'synthetic' },
    },
  ]);

  it('reports a row with offsets outside its note, an unknown code and a malformed row with file and line, and skips them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codiesp-'));
    mkdirSync(join(dir, 'train', 'text_files_en'), { recursive: true });
    mkdirSync(join(dir, 'train', 'text_files'), { recursive: true });
    writeFileSync(join(dir, 'train', 'text_files', 'case-1.txt'), 'Paciente con neumonía. Sin fiebre.');
    writeFileSync(join(dir, 'train', 'text_files_en', 'case-1.txt'), 'Patient with pneumonia.\nNo fever.');
    writeFileSync(join(dir, 'train', 'trainD.tsv'), 'case-1\tj18.9\n');
    writeFileSync(
      join(dir, 'train', 'trainX.tsv'),
      [
        'case-1\tDIAGNOSTICO\tj18.9\tneumonía\t13 21',
        'case-1\tDIAGNOSTICO\tj18.9\tneumonía\t500 510',
        'case-1\tDIAGNOSTICO\tx99.9\tfoo\t0 4',
        'case-1\tDIAGNOSTICO',
      ].join('\n'),
    );
    const corpus = await readCodiespCorpus(dir, dir, ['train'], book);
    const file = join(dir, 'train', 'trainX.tsv');
    assert.deepEqual(corpus.problems.map((p) => [p.file, p.line]).sort(), [
      [file, 2],
      [file, 3],
      [file, 4],
    ]);
    assert.match(corpus.problems.find((p) => p.line === 2)!.reason, /offsets outside/);
    assert.match(corpus.problems.find((p) => p.line === 3)!.reason, /X99.9 is not a FY2026/);
    assert.equal(corpus.documents.length, 1);
    assert.deepEqual([...corpus.documents[0]!.gold.icd10cm], ['J18.9']);
    assert.equal(corpus.spans.total, 3);
    assert.ok(corpus.documents[0]!.evidence.every((e) => e.code === 'J18.9'));
  });

  it('an empty corpus is a clear error, not a crash', async () => {
    await assert.rejects(
      trainCoder(
        {
          documents: [],
          systems: [],
          book,
          rank: () => {
            throw new Error('not reached');
          },
          progress: silentProgress,
        },
        'x',
      ),
      /training corpus is empty/,
    );
  });
});

describe('learned coder: document neighbours', () => {
  it('scores codes by the similarity-weighted share of the nearest training documents coded with them', () => {
    const doc = (text: string) => noteTerms(text, [{ start: 0, end: text.length }]);
    const index = buildNeighbourIndex([
      { terms: doc('fever cough pneumonia chest').map((t) => t.term), codes: ['J18.9'] },
      { terms: doc('fever cough bronchitis').map((t) => t.term), codes: ['J20.9'] },
      { terms: doc('fracture radius fall').map((t) => t.term), codes: ['S52.501A'] },
      { terms: doc('fracture femur fall pneumonia').map((t) => t.term), codes: ['S72.001A', 'J18.9'] },
    ]);
    const scores = neighbourSearch(index, 2).scores(doc('cough and fever with pneumonia'));
    assert.ok((scores.get('J18.9') ?? 0) > (scores.get('J20.9') ?? 0));
    assert.equal(scores.get('S52.501A'), undefined);
  });
});

describe('learned coder: Index entries', () => {
  const catalog = { fy: 2026, lookup: (code: string) => ({ code, title: code, billable: true }), billableUnder: () => [] };

  it('takes a subterm\'s alternative forms one at a time ("cerebellar, cerebellum") and an inverted subterm whole', () => {
    const index = [
      { path: ['Hemorrhage, hemorrhagic'] },
      { path: ['Hemorrhage, hemorrhagic', 'cerebellar, cerebellum'], nonEssential: '(nontraumatic)', code: 'I61.4' },
      { path: ['Fracture, traumatic'] },
      { path: ['Fracture, traumatic', 'humerus'] },
      { path: ['Fracture, traumatic', 'humerus', 'upper end, physeal'], code: 'S49.009' },
      { path: ['Fall, falling'], nonEssential: '(accidental)', code: 'W19' },
      { path: ['Fall, falling', 'from, off, out of'] },
      { path: ['Fall, falling', 'from, off, out of', 'ladder'], code: 'W11' },
    ];
    const terms = (code: string) =>
      knowledgeEntries(index, [], catalog)
        .filter((e) => e.code === code)
        .map((e) => e.terms);
    assert.deepEqual(terms('I61.4'), [phraseTerms('cerebellar hemorrhage'), phraseTerms('cerebellum hemorrhage')]);
    assert.deepEqual(terms('S49.009'), [phraseTerms('fracture humerus upper end physeal')]);
    assert.deepEqual(terms('W11'), [phraseTerms('fall from ladder'), phraseTerms('fall off ladder'), phraseTerms('fall out of ladder')]);
  });

  it('enters a title also without the words it classifies with ("of pregnancy", "Disorder of", "status")', () => {
    const codes = [
      { code: 'Z3A.40', title: '40 weeks gestation of pregnancy' },
      { code: 'N42.9', title: 'Disorder of prostate, unspecified' },
      { code: 'I10', title: 'Essential (primary) hypertension' },
    ];
    const terms = (code: string) =>
      knowledgeEntries([], codes, catalog)
        .filter((e) => e.code === code)
        .map((e) => e.terms);
    assert.deepEqual(terms('Z3A.40'), [phraseTerms('40 weeks gestation of pregnancy'), phraseTerms('40 weeks gestation')]);
    // One word left is too little to stand for the code alone.
    assert.deepEqual(terms('N42.9'), [phraseTerms('Disorder of prostate')]);
    assert.deepEqual(terms('I10'), [phraseTerms('Essential hypertension')]);
  });

  it('reads an Index header as its most unspecified billable child (H53.00- → H53.009, not H53.001 right eye)', () => {
    const titled = (code: string, title: string, billable = true) => ({ code, title, billable });
    const codes = [
      titled('H53.001', 'Unspecified amblyopia, right eye'),
      titled('H53.002', 'Unspecified amblyopia, left eye'),
      titled('H53.009', 'Unspecified amblyopia, unspecified eye'),
      titled('R51.0', 'Headache with orthostatic component, not elsewhere classified'),
      titled('R51.9', 'Headache, unspecified'),
    ];
    const headers = [titled('H53.00', 'Unspecified amblyopia', false), titled('R51', 'Headache', false)];
    const headerCatalog = {
      fy: 2026,
      lookup: (code: string) => [...codes, ...headers].find((c) => c.code === code),
      billableUnder: (prefix: string) => codes.filter((c) => c.code.startsWith(prefix)),
    };
    assert.equal(resolveCode('H53.00-', headerCatalog), 'H53.009');
    assert.equal(resolveCode('R51', headerCatalog), 'R51.9');
  });

  it('keeps the bare words of a connector subterm\'s modifier column ("and (on) chronic") and drops the optional ones', () => {
    const index = [
      { path: ['Failure, failed'] },
      { path: ['Failure, failed', 'heart'] },
      { path: ['Failure, failed', 'heart', 'systolic'], code: 'I50.20' },
      { path: ['Failure, failed', 'heart', 'systolic', 'acute'], nonEssential: '(congestive)', code: 'I50.21' },
      { path: ['Failure, failed', 'heart', 'systolic', 'acute', 'and'], nonEssential: '(on) chronic (congestive)', code: 'I50.23' },
    ];
    const byCode = new Map(knowledgeEntries(index, [], catalog).map((e) => [e.code, e.terms]));
    assert.deepEqual(byCode.get('I50.23'), phraseTerms('acute on chronic systolic heart failure'));
    assert.deepEqual(byCode.get('I50.21'), phraseTerms('acute systolic heart failure'));
    assert.deepEqual(byCode.get('I50.20'), phraseTerms('systolic heart failure'));
  });
});

describe('learned coder: Index "see" references', () => {
  it('lead to the code of the entry or table cell they name, never through "see condition" or a reference by site', () => {
    const index = [
      { path: ['Hematemesis'], code: 'K92.0' },
      { path: ['Vomiting'], code: 'R11.10' },
      { path: ['Vomiting', 'blood'], see: 'Hematemesis' },
      { path: ['Hypertension, hypertensive'], nonEssential: '(accelerated)', code: 'I10' },
      { path: ['Hypertension, hypertensive', 'heart'], nonEssential: '(disease) (conditions in I51.4-I51.9 due to hypertension)', code: 'I11.9' },
      { path: ['Hypertension, hypertensive', 'with', 'heart involvement'], see: 'Hypertension, heart' },
      { path: ['Myxofibrosarcoma'], see: 'Neoplasm, connective tissue, malignant' },
      { path: ['Adenocarcinoma', 'specified site'], see: 'Neoplasm, malignant, by site' },
      { path: ['Shoulder'], see: 'condition' },
    ];
    const table = [
      {
        path: ['Neoplasm, neoplastic', 'connective tissue NEC'],
        cells: [
          { heading: 'Malignant Primary', code: 'C49.9' },
          { heading: 'Benign', code: 'D21.9' },
        ],
      },
    ];
    assert.deepEqual(seeTargets(index, table), [undefined, undefined, 'K92.0', undefined, undefined, 'I11.9', 'C49.9', undefined, undefined]);
  });

  it('"see also" leads on from an entry that has a code of its own, as a second entry', () => {
    const index = [
      { path: ['Anaplasia cervix'], seeAlso: 'Dysplasia, cervix', code: 'N87.9' },
      { path: ['Dysplasia'], code: 'Q89.9' },
      { path: ['Dysplasia', 'cervix'], nonEssential: '(uteri)', code: 'N87.9' },
      { path: ['Leiomyosarcoma'], seeAlso: 'Neoplasm, connective tissue, malignant' },
    ];
    const table = [{ path: ['Neoplasm, neoplastic', 'connective tissue NEC'], cells: [{ heading: 'Malignant Primary', code: 'C49.9' }] }];
    assert.deepEqual(seeTargets(index, table, 'seeAlso'), ['N87.9', undefined, undefined, 'C49.9']);
    assert.deepEqual(seeTargets(index, table), [undefined, undefined, undefined, undefined]);
  });
});

describe('learned coder: the Table of Neoplasms', () => {
  const catalog = { fy: 2026, lookup: (code: string) => ({ code, title: code, billable: true }), billableUnder: () => [] };
  const index = [
    { path: ['Carcinoma'], nonEssential: '(malignant)', seeAlso: 'Neoplasm, by site, malignant' },
    { path: ['Carcinoma', 'unspecified site'], code: 'C80.1' },
    { path: ['Adenoma'], seeAlso: 'Neoplasm,  benign, by site' },
    { path: ['Tumor'], seeAlso: 'Neoplasm, unspecified behavior, by site' },
    { path: ['Tumor', 'benign'], see: 'Neoplasm, benign, by site' },
    { path: ['Metastasis, metastatic'] },
    { path: ['Metastasis, metastatic', 'cancer', 'from specified site'], see: 'Neoplasm, malignant, by site' },
    { path: ['Metastasis, metastatic', 'cancer', 'to specified site'], see: 'Neoplasm, secondary, by site' },
    { path: ['Glioma'], nonEssential: '(malignant)' },
    { path: ['Glioma', 'specified site NEC'], see: 'Neoplasm,  malignant, by site' },
    { path: ['Mass'] },
    { path: ['Mass', 'malignant'], see: 'Neoplasm, malignant, by site' },
    { path: ['Melanoma'], nonEssential: '(malignant)', code: 'C43.9' },
    { path: ['Melanoma', 'malignant, of soft parts except skin'], see: 'Neoplasm, connective tissue, malignant' },
    { path: ['Endothelioma, bone'], see: 'Neoplasm, bone, malignant' },
  ];
  const cells = (primary: string, secondary: string, inSitu: string, benign: string, uncertain: string, unspecified: string) =>
    [
      ['Malignant Primary', primary],
      ['Malignant Secondary', secondary],
      ['Ca in situ', inSitu],
      ['Benign', benign],
      ['Uncertain Behavior', uncertain],
      ['Unspecified Behavior', unspecified],
    ].map(([heading, code]) => ({ heading: heading!, code: code! }));
  const table = [
    { path: ['Neoplasm, neoplastic'], cells: cells('C80.1', 'C79.9', 'D09.9', 'D36.9', 'D48.9', 'D49.9') },
    { path: ['Neoplasm, neoplastic', 'larynx, laryngeal NEC'], cells: cells('C32.9', 'C78.39', 'D02.0', 'D14.1', 'D38.0', 'D49.1') },
    { path: ['Neoplasm, neoplastic', 'liver'], cells: cells('C22.9', 'C78.7', 'D01.5', 'D13.4', 'D37.6', 'D49.0') },
    { path: ['Neoplasm, neoplastic', 'rectum'], nonEssential: '(ampulla)', cells: cells('C20', 'C78.5', 'D01.2', 'D12.8', 'D37.5', 'D49.0') },
    { path: ['Neoplasm, neoplastic', 'brain NEC'], cells: cells('C71.9', 'C79.31', 'D09.9', 'D33.2', 'D43.2', 'D49.6') },
    { path: ['Neoplasm, neoplastic', 'ovary'], cells: cells('C56.9', 'C79.60', 'D07.39', 'D27.9', 'D39.10', 'D49.59') },
  ];
  const classes = morphologyClasses(index);
  const entries = neoplasmEntries(table, catalog);
  const codesIn = (text: string) => {
    const note = noteOf(text);
    const hits = buildDictionary(entries, classes).match(noteTerms(note.text, note.sentences));
    // Two forms of one row ("larynx, laryngeal") may both match the same words: one code and range.
    return [...new Set(hits.filter((h) => !h.subsumed).map((h) => `${entries[h.entry]!.code} ${text.slice(h.start, h.end)}`))];
  };

  it('learns which words name which behaviour from the Index: directly, or through the subterm for the named site', () => {
    assert.deepEqual(classes.get('carcinoma'), [NEOPLASM_TERM, behaviourTerm('malignant')]);
    assert.deepEqual(classes.get('adenoma'), [NEOPLASM_TERM, behaviourTerm('benign')]);
    assert.deepEqual(classes.get('glioma'), [NEOPLASM_TERM, behaviourTerm('malignant')]);
    assert.deepEqual(classes.get(phraseTerms('metastases')[0]!), [NEOPLASM_TERM, behaviourTerm('secondary')]);
    assert.deepEqual(classes.get(phraseTerms('metastatic')[0]!), [NEOPLASM_TERM, behaviourTerm('secondary')]);
    // A main term with a code of its own, one whose only referring subterm names a behaviour, an inverted site form.
    for (const word of ['melanoma', 'mass', 'bone']) assert.equal(classes.get(phraseTerms(word)[0]!), undefined, word);
  });

  it('codes a morphology word and a site of one sentence from the column of its behaviour, the range exact', () => {
    assert.deepEqual(codesIn('He had a squamous cell carcinoma of the larynx.'), ['C32.9 carcinoma of the larynx']);
    assert.deepEqual(codesIn('A tubular adenoma of the rectum was removed.'), ['D12.8 adenoma of the rectum']);
    assert.deepEqual(codesIn('There were liver metastases.'), ['C78.7 liver metastases']);
    assert.deepEqual(codesIn('Laryngeal glioma.'), ['C32.9 Laryngeal glioma']);
    assert.deepEqual(codesIn('Malignant tumor of the brain.'), ['C71.9 Malignant tumor of the brain']);
    assert.deepEqual(codesIn('Benign tumor of the liver.'), ['D13.4 Benign tumor of the liver']);
    assert.deepEqual(codesIn('A brain tumor.'), ['D49.6 brain tumor']);
    assert.deepEqual(codesIn('Carcinoma in situ of the larynx.'), ['D02.0 Carcinoma in situ of the larynx']);
    assert.deepEqual(codesIn('The liver was normal. A carcinoma was found.'), []);
    // The adjective of a Latin noun the table lists only as the noun.
    assert.deepEqual(codesIn('Ovarian carcinoma.'), ['C56.9 Ovarian carcinoma']);
    assert.deepEqual(codesIn('A rectal adenoma.'), ['D12.8 rectal adenoma']);
  });
});

describe('learned coder: candidate recall on the cross-validation', () => {
  it("counts each document's gold codes among its k most probable rows, over all gold codes", () => {
    const rows = [
      { doc: 'a', probability: 0.9, gold: true },
      { doc: 'a', probability: 0.5, gold: false },
      { doc: 'a', probability: 0.1, gold: true },
      { doc: 'b', probability: 0.2, gold: true },
    ];
    assert.equal(rankedRecall(rows, 5, 2), 2 / 5);
    assert.equal(rankedRecall(rows, 5, 3), 3 / 5);
  });
});

describe('learned coder: threshold as the product uses it', () => {
  const doc = (code: string, title: string) => ({
    id: `icd10cm:2026:code:${code}`,
    kind: 'code' as const,
    system: 'icd10cm' as const,
    systemUri: 'http://hl7.org/fhir/sid/icd-10-cm',
    fy: 2026,
    title,
    text: '',
    code,
    codes: [code],
    billable: code.includes('.'),
    source: { file: 'synthetic' },
  });
  const book = codeBookOf(2026, [
    doc('I50', 'Heart failure'),
    doc('I50.9', 'Heart failure, unspecified'),
    doc('I50.23', 'Acute on chronic systolic (congestive) heart failure'),
    doc('J18.9', 'Pneumonia, unspecified organism'),
  ]);

  it('does not count an unspecified code the guideline fold removes beside a specific one', () => {
    const rows = [
      { doc: 'a', code: 'I50.23', probability: 0.9, gold: true },
      { doc: 'a', code: 'I50.9', probability: 0.8, gold: false },
      { doc: 'b', code: 'J18.9', probability: 0.5, gold: true },
    ];
    const choice = chooseThreshold(rows, 2, 'icd10cm', book);
    assert.equal(choice.threshold, 0.5);
    assert.equal(choice.microF1, 1);
    assert.equal(choice.overCoding, 1);
  });
});

describe('ICD-10-PCS table rows', () => {
  const pcs = (code: string, title: string) => ({
    id: `icd10pcs:2026:code:${code}`,
    kind: 'code' as const,
    system: 'icd10pcs' as const,
    systemUri: 'http://www.cms.gov/Medicare/Coding/ICD10',
    fy: 2026,
    title,
    text: '',
    code,
    codes: [code],
    billable: code.length === 7,
    source: { file: 'synthetic' },
  });
  const book = codeBookOf(2026, [
    pcs('0TC', 'Urinary System, Extirpation'),
    pcs('0TCB0ZZ', 'Extirpation of Matter from Bladder, Open Approach'),
    pcs('0TCB3ZZ', 'Extirpation of Matter from Bladder, Percutaneous Approach'),
  ]);

  it('a prefix of codes of the year is a header of the codes under it; anything else stays unknown', () => {
    const verdict = verifyCode(book.catalog('icd10pcs'), '0TCB');
    assert.equal(verdict.state, 'needs-specificity');
    if (verdict.state === 'needs-specificity') {
      assert.equal(verdict.entry.title, 'Extirpation of Matter from Bladder');
      assert.deepEqual(
        verdict.children.map((c) => c.code),
        ['0TCB0ZZ', '0TCB3ZZ'],
      );
    }
    assert.equal(verifyCode(book.catalog('icd10pcs'), '0TCX').state, 'invalid');
    assert.equal(verifyCode(book.catalog('icd10pcs'), '0TCB0ZZ').state, 'valid');
  });
});
