import assert from 'node:assert/strict';
import type { KnowledgeDoc } from '../../server/engine/retrieve/knowledgeDoc';
import type { SearchHit } from '../../server/engine/retrieve/search';
import { buildCandidates } from '../../server/engine/suggest/candidates';
import { codeBookOf } from '../../server/engine/suggest/codeBook';
import { rankByDocumentation } from '../../server/engine/suggest/documentedRank';
import { CODE_DOCS } from '../fixtures/knowledge/codeBookDocs';

const book = codeBookOf(2026, CODE_DOCS);

const hit = (id: string, kind: KnowledgeDoc['kind'], codes: string[], fusedScore: number, title = `synthetic ${id}`): SearchHit => ({
  doc: {
    id,
    kind,
    system: 'icd10cm',
    systemUri: 'http://hl7.org/fhir/sid/icd-10-cm',
    fy: 2026,
    title,
    text: 'synthetic',
    codes,
    source: { file: 'synthetic' },
  },
  fusedScore,
  ranks: {},
  scores: {},
});

describe('candidate set', () => {
  it('deduplicates codes across mentions, keeps every source, ranks by best fused score', () => {
    const candidates = buildCandidates(
      [[hit('index:1', 'index', ['I50.23'], 0.03), hit('code:I50.9', 'code', ['I50.9'], 0.02)], [hit('code:I50.23', 'code', ['I50.23'], 0.032)]],
      { book, budget: 10 },
    );
    assert.deepEqual(
      candidates.map((c) => [c.code, c.sources.length]),
      [
        ['I50.23', 2],
        ['I50.9', 1],
      ],
    );
    assert.deepEqual(
      candidates[0]?.sources.map((s) => s.mentionIndex),
      [0, 1],
    );
    assert.equal(candidates[0]?.bestScore, 0.032);
    assert.equal(candidates[0]?.system, 'icd10cm');
  });

  it('a header hit (code or index "I50.2-") offers its billable children; unknown codes are leads only', () => {
    assert.deepEqual(
      buildCandidates([[hit('code:I50.2', 'code', ['I50.2'], 0.03), hit('neoplasm:9', 'neoplasm', ['XYZ'], 0.02)]], { book, budget: 10 }).map((c) => c.code),
      ['I50.20', 'I50.21', 'I50.23'],
    );
    assert.deepEqual(
      buildCandidates([[hit('index:7', 'index', ['I50.2-'], 0.03)]], { book, budget: 10 }).map((c) => c.code),
      ['I50.20', 'I50.21', 'I50.23'],
    );
  });

  it('offers codes that take a 7th character once, as their stem', () => {
    const candidates = buildCandidates(
      [[hit('code:S52.321S', 'code', ['S52.321S'], 0.03), hit('code:S52.321A', 'code', ['S52.321A'], 0.029), hit('index:3', 'index', ['S52.30-'], 0.02)]],
      { book, budget: 10 },
    );
    assert.deepEqual(
      candidates.map((c) => [c.code, c.needsSeventh]),
      [
        ['S52.321', true],
        ['S52.301', true],
      ],
    );
    assert.equal(candidates[0]?.title, 'Displaced transverse fracture of shaft of right radius');
  });

  it('cuts the set to the budget', () => {
    const candidates = buildCandidates([[hit('a', 'code', ['I50.9'], 0.01), hit('b', 'code', ['I50.23'], 0.03), hit('c', 'code', ['J18.9'], 0.02)]], {
      book,
      budget: 2,
    });
    assert.deepEqual(
      candidates.map((c) => c.code),
      ['I50.23', 'J18.9'],
    );
  });

  it('ranks an undocumented specific code below the unspecified one, and a code naming every documented word first', () => {
    const fracture = buildCandidates([[hit('code:S52.321S', 'code', ['S52.321S'], 0.033), hit('index:3', 'index', ['S52.30-'], 0.016)]], { book, budget: 10 });
    const sentence = 'X-ray: displaced fracture of shaft of right radius, closed, initial encounter.';
    assert.equal(rankByDocumentation(fracture, { mention: 'displaced fracture of shaft of right radius', context: sentence })[0]?.code, 'S52.301');
    const chf = buildCandidates([[hit('c1', 'code', ['I50.9'], 0.033), hit('c2', 'code', ['I50.21'], 0.03), hit('c3', 'code', ['I50.23'], 0.02)]], {
      book,
      budget: 10,
    });
    assert.equal(
      rankByDocumentation(chf, { mention: 'Acute on chronic systolic heart failure', context: '1. Acute on chronic systolic heart failure, EF 25%.' })[0]?.code,
      'I50.23',
    );
  });
});
