// Hybrid retrieval against the real knowledge release, on the real Elasticsearch and on the embedded index.
import assert from 'node:assert/strict';
import type { Retriever, SearchFilters, SearchHit, SearchResult } from '../../server/engine/retrieve/search';
import type { BackendKind } from '../../server/indexing/buildIndex';
import { openBackend, openRetriever } from '../../server/app/openRetriever';
import type { ChartcoderSettings } from '../../server/protocol';
import { cli, lastLine } from '../helpers/run';
import { localSettings } from '../helpers/settings';

const BACKENDS: readonly BackendKind[] = ['embedded', 'es'];
const FY = 2026;
const CM: SearchFilters = { systems: ['icd10cm'], fy: FY };

/**
 * Share of A's top 10 that B also ranks in its top 10, leaving out documents tied with A's 10th score (a tie at the
 * cut may fall either way). Fused results are compared on their document sets.
 */
function topTenAgreement(a: SearchResult, b: SearchResult, variant: 'bm25' | 'knn' | 'fused'): number {
  const score = (h: SearchHit) => (variant === 'fused' ? h.fusedScore : (h.scores[variant] ?? 0));
  const tenth = a.hits.length >= 10 ? score(a.hits[9]!) : -Infinity;
  const decided = a.hits.filter((h) => variant === 'fused' || a.hits.length < 10 || score(h) > tenth * (1 + 1e-5));
  const inB = new Set(b.hits.map((h) => h.doc.id));
  return decided.length === 0 ? 1 : decided.filter((h) => inB.has(h.doc.id)).length / decided.length;
}

const codesOf = (hits: readonly SearchHit[]): string[] => hits.flatMap((h) => (h.doc.code ? [h.doc.code] : [...h.doc.codes]));

/** Shared query set for the conformance check: clinical phrases, abbreviations, procedures, a table lookup. */
const CONFORMANCE_QUERIES: readonly { text: string; filters: SearchFilters }[] = [
  { text: 'acute on chronic systolic heart failure', filters: CM },
  { text: 'type 2 diabetes with diabetic chronic kidney disease', filters: CM },
  { text: 'CHF exacerbation', filters: CM },
  { text: 'community acquired pneumonia', filters: CM },
  { text: 'closed fracture of neck of right femur, initial encounter', filters: CM },
  { text: 'essential hypertension', filters: CM },
  { text: 'COPD with acute exacerbation', filters: CM },
  { text: 'sepsis due to E. coli', filters: CM },
  { text: 'laparoscopic cholecystectomy', filters: { systems: ['icd10pcs'], fy: FY } },
  { text: 'wheelchair cushion', filters: { systems: ['hcpcs'], fy: FY } },
];

describe('hybrid retrieval over the FY2026 knowledge base', function () {
  this.timeout(60 * 60 * 1000);
  const retrievers = new Map<BackendKind, Retriever>();
  let settings: ChartcoderSettings;

  before(async () => {
    settings = localSettings();
    for (const backend of BACKENDS) {
      const built = await cli(['index', 'build', '--backend', backend, '--json'], process.env, true);
      assert.equal(built.code, 0, built.stderr);
      const report = JSON.parse(built.stdout) as { vectors: number; expectedVectors: number; documents: number };
      // One vector per ICD-10-CM code (a 7th-character family shares one), category, guideline section and neoplasm row.
      assert.ok(report.documents > 250_000 && report.vectors > 35_000, `index sizes: ${built.stdout}`);
      assert.equal(report.vectors, report.expectedVectors, 'a complete index');
      retrievers.set(backend, await openRetriever(settings, backend, FY));
    }
  });

  const search = (backend: BackendKind, text: string, filters: SearchFilters = CM, k = 10): Promise<SearchResult> =>
    retrievers.get(backend)!.search({ text, k, filters });

  for (const backend of BACKENDS) {
    describe(`${backend} backend`, () => {
      it('"acute on chronic systolic heart failure" → I50.23 in the top 3, both legs answering', async () => {
        const result = await search(backend, 'acute on chronic systolic heart failure');
        assert.ok(codesOf(result.hits.slice(0, 3)).includes('I50.23'), codesOf(result.hits).join(' '));
        assert.equal(result.fusion, 'rrf');
        assert.equal(result.legs.bm25.state, 'ok');
        assert.equal(result.legs.knn.state, 'ok');
      });

      it('"type 2 diabetes with diabetic chronic kidney disease" → E11.22 in the top 3', async () => {
        const result = await search(backend, 'type 2 diabetes with diabetic chronic kidney disease');
        assert.ok(codesOf(result.hits.slice(0, 3)).includes('E11.22'), codesOf(result.hits).join(' '));
      });

      it('"CHF exacerbation" expands the abbreviation and finds heart failure (I50.x)', async () => {
        const result = await search(backend, 'CHF exacerbation');
        assert.deepEqual(result.query.expansions, [{ abbreviation: 'chf', expansion: 'congestive heart failure' }]);
        assert.ok(
          codesOf(result.hits.slice(0, 5)).some((code) => code.startsWith('I50')),
          codesOf(result.hits).join(' '),
        );
      });

      it('a guideline query returns the right chapter-specific section: "pulmonary embolism" → I.C.9 (circulatory)', async () => {
        const result = await search(backend, 'pulmonary embolism', { kinds: ['guideline'], fy: FY }, 5);
        const top = result.hits[0]?.doc.guideline;
        assert.ok(top, 'a guideline hit');
        assert.match(top.section, /^I\.C\.9\b/, result.hits.map((h) => h.doc.guideline?.section).join(' '));
        assert.ok(top.page > 0);
      });

      it('a Neoplasm-table query returns the table row with its columns', async () => {
        const result = await search(backend, 'neoplasm of lung', { kinds: ['neoplasm'], fy: FY }, 5);
        const row = result.hits.find((h) => h.doc.path?.join('|') === 'Neoplasm, neoplastic|lung');
        assert.ok(row, result.hits.map((h) => h.doc.title).join('\n'));
        assert.deepEqual(
          row.doc.cells?.map((c) => `${c.heading}: ${c.code}`),
          [
            'Malignant Primary: C34.9-',
            'Malignant Secondary: C78.0-',
            'Ca in situ: D02.2-',
            'Benign: D14.3-',
            'Uncertain Behavior: D38.1',
            'Unspecified Behavior: D49.1',
          ],
        );
      });

      it('filters by code system, billable flag and chapter', async () => {
        const result = await search(backend, 'heart failure', { systems: ['icd10cm'], kinds: ['code'], billable: true, chapter: '9', fy: FY }, 20);
        assert.ok(result.hits.length > 0);
        assert.ok(result.hits.every((h) => h.doc.system === 'icd10cm' && h.doc.kind === 'code' && h.doc.billable === true && h.doc.chapter === '9'));
      });

      it('when the embedding model is unreachable, BM25 alone answers and the result says so', async () => {
        const offline = { ...settings, ollama: { ...settings.ollama, host: 'http://127.0.0.1:9' } };
        const result = await (await openRetriever(offline, backend, FY)).search({ text: 'acute on chronic systolic heart failure', k: 5, filters: CM });
        assert.equal(result.legs.knn.state, 'degraded');
        assert.match(result.legs.knn.state === 'degraded' ? result.legs.knn.reason : '', /embedding model unavailable/);
        assert.equal(result.fusion, 'single-leg');
        assert.ok(codesOf(result.hits).includes('I50.23'));
      });
    });
  }

  it('Elasticsearch: the server-side rrf retriever is used only where the cluster offers it (this node does not: fused here)', async () => {
    const backend = await openBackend(settings, 'es', FY);
    assert.ok('serverFusionProbe' in backend);
    const probe = (backend as { serverFusionProbe: { available: boolean; reason?: string } }).serverFusionProbe;
    assert.equal(probe.available, false);
    assert.ok(probe.reason && probe.reason.length > 0);
    assert.equal(backend.serverFusion, undefined);
    assert.equal((await search('es', 'heart failure')).fusion, 'rrf');
  });

  it("a guidance link's document is read by id from either backend, the same document; an unknown id is none", async () => {
    const [embedded, es] = await Promise.all(BACKENDS.map((backend) => openBackend(settings, backend, FY)));
    const hit = (await search('embedded', 'acute on chronic systolic heart failure')).hits.find((h) => h.doc.code === 'I50.23')!;
    assert.ok(hit, 'I50.23 retrieved');
    assert.deepEqual(await es!.document(hit.doc.id), await embedded!.document(hit.doc.id));
    assert.equal((await embedded!.document(hit.doc.id))?.title, hit.doc.title);
    for (const backend of [embedded!, es!]) assert.equal(await backend.document('icd10cm:2026:code:NOPE'), undefined, backend.name);
  });

  it('conformance: the two backends agree on the top 10 within the stated tolerance', async () => {
    const agreement: Record<'bm25' | 'knn' | 'fused', number[]> = { bm25: [], knn: [], fused: [] };
    for (const { text, filters } of CONFORMANCE_QUERIES) {
      for (const [variant, legs] of [
        ['bm25', ['bm25']],
        ['knn', ['knn']],
        ['fused', ['bm25', 'knn']],
      ] as const) {
        const [a, b] = await Promise.all(BACKENDS.map((backend) => retrievers.get(backend)!.search({ text, k: 10, filters, legs: [...legs] })));
        agreement[variant].push((topTenAgreement(a!, b!, variant) + topTenAgreement(b!, a!, variant)) / 2);
      }
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const summary = Object.fromEntries(Object.entries(agreement).map(([k, xs]) => [k, Number(mean(xs).toFixed(3))]));
    process.stderr.write(`      top-10 agreement embedded vs Elasticsearch (mean over ${CONFORMANCE_QUERIES.length} queries): ${JSON.stringify(summary)}\n`);
    // Tolerance: BM25 is the same formula on both sides (float32 vs float64 only); kNN is exact (embedded) vs HNSW
    // (Elasticsearch), and fused inherits both.
    assert.ok(summary['bm25']! >= 0.95, `bm25 agreement ${summary['bm25']}`);
    assert.ok(summary['knn']! >= 0.9, `knn agreement ${summary['knn']}`);
    assert.ok(summary['fused']! >= 0.85, `fused agreement ${summary['fused']}`);
  });

  it('CLI: an empty query is a one-line error; 100 KB of text gets a bounded, flagged result', async () => {
    const empty = await cli(['search', '   ']);
    assert.equal(empty.code, 2);
    assert.equal(empty.stderr.trim(), 'chartcoder: the search text is empty');
    const huge = await cli(['search', 'heart failure with reduced ejection fraction '.repeat(2_300).slice(0, 100_000), '--k', '5', '--json']);
    assert.equal(huge.code, 0, huge.stderr);
    const result = JSON.parse(huge.stdout) as SearchResult;
    assert.equal(result.query.truncated, true);
    assert.equal(result.hits.length, 5);
  });

  it('CLI: search prints ranked hits with code, title, per-leg ranks and fused score', async () => {
    const r = await cli(['search', 'acute on chronic systolic heart failure', '--system', 'icd10cm', '--k', '3']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {2}1\. 0\.\d{4} bm25 +(\d+|-) knn +(\d+|-) {2}\[icd10cm /m);
    assert.match(r.stdout, /I50\.23/);
    assert.match(lastLine(r.stdout), /fusion rrf · bm25: \d+ hits in \d+ ms · knn: \d+ hits in \d+ ms/);
  });
});
