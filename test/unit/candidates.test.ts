import assert from 'node:assert/strict';
import type { KnowledgeDoc } from '../../server/engine/retrieve/knowledgeDoc';
import type { SearchHit } from '../../server/engine/retrieve/search';
import { buildCandidates } from '../../server/engine/suggest/candidates';
import { catalogOf } from '../../server/engine/suggest/codeValidity';

const catalog = catalogOf(2026, [
  { code: 'I50.2', title: 'Systolic (congestive) heart failure', billable: false },
  { code: 'I50.21', title: 'Acute systolic (congestive) heart failure', billable: true },
  { code: 'I50.23', title: 'Acute on chronic systolic (congestive) heart failure', billable: true },
  { code: 'I50.9', title: 'Heart failure, unspecified', billable: true },
  { code: 'C34.90', title: 'Malignant neoplasm of unspecified part of unspecified bronchus or lung', billable: true },
]);

const hit = (id: string, kind: KnowledgeDoc['kind'], codes: string[], fusedScore: number): SearchHit => ({
  doc: { id, kind, system: 'icd10cm', systemUri: 'http://hl7.org/fhir/sid/icd-10-cm', fy: 2026, title: `synthetic ${id}`, text: 'synthetic', codes, source: { file: 'synthetic' } },
  fusedScore, ranks: {}, scores: {},
});

describe('candidate set', () => {
  it('deduplicates codes across mentions, keeps every source, ranks by best fused score', () => {
    const candidates = buildCandidates([
      [hit('index:1', 'index', ['I50.23'], 0.03), hit('code:I50.9', 'code', ['I50.9'], 0.02)],
      [hit('code:I50.23', 'code', ['I50.23'], 0.032)],
    ], { catalog, budget: 10 });
    assert.deepEqual(candidates.map((c) => [c.code, c.sources.length]), [['I50.23', 2], ['I50.9', 1]]);
    assert.deepEqual(candidates[0]?.sources.map((s) => s.mentionIndex), [0, 1]);
    assert.equal(candidates[0]?.bestScore, 0.032);
  });

  it('a header code hit offers its billable children; table cells with a dash and unknown codes are leads only', () => {
    const candidates = buildCandidates([[hit('code:I50.2', 'code', ['I50.2'], 0.03), hit('neoplasm:9', 'neoplasm', ['C34.9-', 'XYZ'], 0.02)]], { catalog, budget: 10 });
    assert.deepEqual(candidates.map((c) => c.code), ['I50.21', 'I50.23']);
  });

  it('cuts the set to the budget', () => {
    const candidates = buildCandidates([[hit('a', 'code', ['I50.9'], 0.01), hit('b', 'code', ['I50.23'], 0.03), hit('c', 'code', ['C34.90'], 0.02)]], { catalog, budget: 2 });
    assert.deepEqual(candidates.map((c) => c.code), ['I50.23', 'C34.90']);
  });
});
