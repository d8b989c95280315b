import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KnowledgeDoc } from '../../server/engine/retrieve/knowledgeDoc';
import { importRelease } from '../../server/knowledge/importRelease';
import { loadKnowledgeBase, type KnowledgeBase } from '../../server/knowledge/knowledgeBase';
import { readRelease } from '../../server/knowledge/release';
import { ROOT } from '../helpers/run';

describe('the bundled FY2026 knowledge release', function () {
  this.timeout(120_000);
  let kb: KnowledgeBase;
  const byId = (id: string): KnowledgeDoc => kb.docs.find((d) => d.id === id) ?? assert.fail(`no ${id}`);

  before(async () => {
    kb = await loadKnowledgeBase(readRelease(join(ROOT, 'data/fy2026.release.json')), { cptFile: join(ROOT, 'test/fixtures/knowledge/synthetic-cpt.csv') });
  });

  it("loads every source with no skipped rows except the synthetic CPT fixture's two bad ones", () => {
    assert.deepEqual(
      kb.problems.map((p) => p.file),
      ['test/fixtures/knowledge/synthetic-cpt.csv', 'test/fixtures/knowledge/synthetic-cpt.csv'],
    );
    assert.equal(kb.counts['icd10cm codes'], 98_186);
    assert.equal(kb.counts['icd10pcs codes'], 80_029);
    assert.ok(kb.counts['icd10pcs index']! > 15_000);
    assert.ok(kb.counts['icd10cm index']! > 70_000);
    assert.ok(kb.counts['guidelines']! > 400);
    assert.equal(kb.counts['cpt codes (licensed file)'], 3);
    assert.match(kb.version, /^fy2026-[0-9a-f]{10}$/);
  });

  it('codes carry FY, billable flag, chapter/section and the FY2026 tabular notes', () => {
    const i5023 = byId('icd10cm:2026:code:I50.23');
    assert.deepEqual([i5023.billable, i5023.chapter, i5023.section, i5023.fy, i5023.source.fallback], [true, '9', 'I30-I5A', 2026, undefined]);
    const i502 = byId('icd10cm:2026:code:I50.2');
    assert.equal(i502.billable, false);
    assert.ok(i502.notes?.some((n) => n.kind === 'inclusionTerm' && /HFrEF/.test(n.text)));
    assert.ok(i502.notes?.some((n) => n.kind === 'excludes1'));
    assert.equal(byId('icd10cm:2026:code:S72.001A').seventhCharacters?.[0]?.meaning, 'initial encounter for closed fracture');
    assert.equal(byId('icd10cm:2026:code:B90.0').poaExempt, true);
  });

  it('the Alphabetic Index keeps the main-term/subterm path: Failure, heart, systolic, acute, and (on) chronic → I50.23', () => {
    const entry = kb.docs.find((d) => d.kind === 'index' && d.code === 'I50.23' && d.path?.join('|') === 'Failure, failed|heart|systolic|acute|and');
    assert.ok(entry, 'index path for I50.23');
    assert.match(entry.text, /\(on\) chronic/);
    const see = kb.docs.find((d) => d.kind === 'index' && d.path?.join('|') === 'Failure, failed|cardiac');
    assert.equal(see?.see, 'Failure, heart');
    assert.deepEqual(see?.codes, ['I50.9'], '"see" resolved one hop to the target\'s code');
  });

  it('tables keep their columns; guidelines are cited by section and page', () => {
    const lung = kb.docs.find((d) => d.kind === 'neoplasm' && d.path?.join('|') === 'Neoplasm, neoplastic|lung');
    assert.deepEqual(
      lung?.cells?.map((c) => c.heading),
      ['Malignant Primary', 'Malignant Secondary', 'Ca in situ', 'Benign', 'Uncertain Behavior', 'Unspecified Behavior'],
    );
    const hypertension = byId('icd10cm:2026:guideline:I.C.9.a.1');
    assert.deepEqual(hypertension.guideline, { section: 'I.C.9.a.1', title: 'Hypertension with Heart Disease', page: 50 });
    assert.equal(hypertension.chapter, '9');
    assert.ok(hypertension.codes.includes('I11'));
    assert.ok(kb.docs.some((d) => d.kind === 'drug' && d.cells?.some((c) => c.heading === 'Adverse effect')));
  });

  it('the PCS Index leads from a procedure word to a code prefix (FY2025 index, marked)', () => {
    const entry = kb.docs.find((d) => d.system === 'icd10pcs' && d.kind === 'index' && d.path?.[0] === 'Cholecystectomy' && d.codes.includes('0FB4-'));
    assert.match(entry?.title ?? '', /see Excision, Gallbladder 0FB4/);
    assert.match(entry?.source.fallback ?? '', /FY2025/);
  });

  it('code systems are recorded with their year: HCPCS 2020 is marked as such, CPT only from the licensed file', () => {
    const uris = new Map(kb.docs.map((d) => [d.system, d.systemUri]));
    assert.deepEqual(Object.fromEntries(uris), {
      icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
      icd10pcs: 'http://www.cms.gov/Medicare/Coding/ICD10',
      hcpcs: 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
      cpt: 'http://www.ama-assn.org/go/cpt',
    });
    assert.ok(kb.docs.every((d) => d.fy === 2026));
    const hcpcs = kb.docs.find((d) => d.system === 'hcpcs');
    assert.match(hcpcs?.source.fallback ?? '', /2020/);
    assert.ok(kb.docs.filter((d) => d.system === 'cpt').every((d) => d.title.startsWith('SYNTHETIC FIXTURE')));
  });
});

describe('chartcoder kb import', () => {
  it('stores a new release as a new FY version and carries over what the folder lacks', async function () {
    this.timeout(60_000);
    const folder = mkdtempSync(join(tmpdir(), 'chartcoder-release-'));
    const cache = mkdtempSync(join(tmpdir(), 'chartcoder-cache-'));
    try {
      copyFileSync(join(ROOT, 'data/icd10cm/fy2026/icd10cm-order-2026.txt.gz'), join(folder, 'icd10cm-order-2027.txt.gz'));
      const result = importRelease({ folder, fy: 2027, cacheDir: cache, baseManifestPath: join(ROOT, 'data/fy2026.release.json') });
      assert.deepEqual(result.imported, ['order']);
      assert.ok(result.carriedOver.includes('tabular') && result.carriedOver.includes('guidelines'));
      const release = readRelease(result.manifestPath);
      assert.equal(release.manifest.fy, 2027);
      assert.match(JSON.stringify(release.manifest.icd10cm.tabular), /carried over/);
      assert.throws(
        () =>
          importRelease({
            folder: mkdtempSync(join(tmpdir(), 'chartcoder-empty-')),
            fy: 2028,
            cacheDir: cache,
            baseManifestPath: join(ROOT, 'data/fy2026.release.json'),
          }),
        /no ICD-10-CM order file/,
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
