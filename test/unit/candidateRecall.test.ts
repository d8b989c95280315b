import assert from 'node:assert/strict';
import { rankDocumentCodes, recallAtK } from '../../server/engine/metrics/candidateRecall';
import type { KnowledgeDoc } from '../../server/engine/retrieve/knowledgeDoc';
import type { SearchHit } from '../../server/engine/retrieve/search';

const hit = (...codes: string[]): SearchHit => ({
  doc: {
    id: codes.join('+'),
    kind: 'index',
    system: 'icd10cm',
    systemUri: 'http://hl7.org/fhir/sid/icd-10-cm',
    fy: 2026,
    title: 'synthetic',
    text: 'synthetic',
    codes,
    source: { file: 'synthetic' },
  } satisfies KnowledgeDoc,
  fusedScore: 0,
  ranks: {},
  scores: {},
});

describe('candidate recall', () => {
  const billable = new Set(['I50.23', 'I50.9', 'E11.22', 'N18.3']);
  const reportable = (code: string) => billable.has(code);

  it("ranks a document's codes by their best rank in any sentence, then by how often they come back; only reportable codes", () => {
    const ranked = rankDocumentCodes(
      [
        [hit('I50.9'), hit('I50.23')],
        [hit('C34.9-', 'E11.22'), hit('I50.9')],
        [hit('I50'), hit('N18.3')],
      ],
      reportable,
    );
    assert.deepEqual(ranked, ['I50.9', 'E11.22', 'I50.23', 'N18.3']);
  });

  it('recall@k: pooled (micro) and per-document mean (macro); documents without gold codes are left out', () => {
    const docs = [
      { ranked: ['A', 'B', 'C'], gold: new Set(['A', 'C']) },
      { ranked: ['X', 'Y'], gold: new Set(['Z']) },
      { ranked: ['Q'], gold: new Set<string>() },
    ];
    assert.deepEqual(recallAtK(docs, [1, 3]), [
      { k: 1, micro: 1 / 3, macro: 0.25 },
      { k: 3, micro: 2 / 3, macro: 0.5 },
    ]);
  });
});
