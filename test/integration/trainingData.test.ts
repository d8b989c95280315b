// Training data from CodiEsp train with the real retrieval: deterministic, every row verified, counts reported.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainingExample } from '../../server/engine/suggest/trainingExamples';
import { defaultCodiespDir, readCodiesp } from '../../server/tooling/evaluate/codiesp';
import { silentProgress } from '../../server/indexing/progress';
import { readGoldBundle } from '../../server/tooling/evaluate/goldBundle';
import { buildDataset, codiespDatasetCase } from '../../server/tooling/train/buildDataset';
import { pathToFileURL } from 'node:url';
import { openDecisionLog } from '../../server/adapters/stores/decisionLog';
import type { DatasetManifest } from '../../server/tooling/train/buildDataset';
import { cli, ROOT } from '../helpers/run';
import { localSettings } from '../helpers/settings';
import { sharedSuggester } from '../helpers/suggesters';

describe('training dataset (CodiEsp train, real retrieval)', function () {
  this.timeout(10 * 60 * 1000);

  it('builds the same examples twice from the same seed; every quote is in its note; counts add up', async () => {
    const suggester = await sharedSuggester();
    const cases = (await readCodiesp(defaultCodiespDir(ROOT), localSettings().cacheDir, 'train')).slice(0, 6);
    const build = (outDir: string) =>
      buildDataset({
        suggester,
        cases: cases.map(codiespDatasetCase),
        outDir,
        seed: 7,
        validationShare: 0.34,
        maxMentions: 20,
        progress: silentProgress,
        source: 'test',
      });
    const [a, b] = [mkdtempSync(join(tmpdir(), 'chartcoder-ds-')), mkdtempSync(join(tmpdir(), 'chartcoder-ds-'))];
    const first = await build(a);
    const second = await build(b);
    assert.equal(first.contentHash, second.contentHash);
    assert.equal(first.documents.train + first.documents.validation, 6);
    assert.ok(first.examples.train + first.examples.validation > 0, JSON.stringify(first.counts));
    assert.equal(first.counts.retrieved + first.counts.goldAdded, first.examples.train + first.examples.validation);
    assert.equal(first.counts.evidenceAligned, first.counts.retrieved + first.counts.goldAdded, 'every target rests on CodiEsp-X evidence carried to its line');
    const byId = new Map(cases.map((c) => [c.id, c.text]));
    for (const file of ['train.jsonl', 'validation.jsonl']) {
      for (const line of readFileSync(join(a, file), 'utf8').split('\n').filter(Boolean)) {
        const row = JSON.parse(line) as TrainingExample;
        assert.equal(byId.get(row.docId)!.slice(row.evidence.start, row.evidence.end), row.target.quote, row.id);
        assert.ok((row.schema['properties'] as { code: { enum: string[] } }).code.enum.includes(row.target.code), row.id);
      }
    }
  });

  it("learns from a FHIR gold bundle too: the target rests on the encounter's note, named by its id", async () => {
    const suggester = await sharedSuggester();
    const outDir = mkdtempSync(join(tmpdir(), 'chartcoder-ds-'));
    const manifest = await buildDataset({
      suggester,
      cases: readGoldBundle(join(ROOT, 'eval', 'datasets', 'synthetic-gold.json')),
      outDir,
      seed: 7,
      validationShare: 0,
      progress: silentProgress,
      source: 'synthetic gold',
    });
    const rows = readFileSync(join(outDir, 'train.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as TrainingExample);
    assert.equal(manifest.documents.train, 4);
    const chf = rows.find((r) => r.target.quote === 'Acute on chronic systolic heart failure');
    assert.ok(chf, JSON.stringify(manifest.counts));
    assert.equal(chf.target.code, 'I50.23');
    assert.equal(chf.noteId, 'DocumentReference/synthetic-note-chf#0');
    const note = readGoldBundle(join(ROOT, 'eval', 'datasets', 'synthetic-gold.json'))[0]!.view.notes[0]!.text;
    assert.equal(note.slice(chf.evidence.start, chf.evidence.end), chf.target.quote);
  });

  it("learns from coders' decisions (CLI): accepted codes of a note file and of an encounter on the FHIR server, read again", async () => {
    const work = mkdtempSync(join(tmpdir(), 'chartcoder-decided-'));
    const note = join(work, 'chf.note.txt');
    writeFileSync(note, 'Assessment and Plan:\n1. Acute on chronic systolic heart failure, EF 25%.\n2. No evidence of pneumonia on chest x-ray.\n');
    const log = join(work, 'decisions.jsonl');
    const decisions = openDecisionLog(log);
    const decide = (subject: string, suggestionId: string, action: 'accept' | 'reject') =>
      decisions.record({
        subject,
        suggestionId,
        action,
        user: 'synthetic-coder',
        time: '2026-12-01T00:00:00Z',
        provenance: {},
        ...(action === 'reject' ? { reason: 'ruled out' } : {}),
      });
    decide(pathToFileURL(note).href, 'icd10cm|I50.23', 'accept');
    decide(pathToFileURL(note).href, 'icd10cm|J18.9', 'reject');
    decide('Encounter/synthetic-enc-chf', 'icd10cm|I50.23', 'accept');
    decide(pathToFileURL(join(work, 'gone.note.txt')).href, 'icd10cm|E11.9', 'accept');
    decisions.close();
    const out = join(work, 'dataset');
    const run = await cli(['train', 'dataset', '--no-codiesp', '--decisions', log, '--out', out, '--seed', '7']);
    assert.equal(run.code, 0, run.stderr.slice(-800));
    assert.match(run.stderr, /decisions on file:\/\/\S+gone\.note\.txt skipped: \S+gone\.note\.txt: no such file/);
    const manifest = JSON.parse(run.stdout) as DatasetManifest;
    assert.match(manifest.source, /^coder decisions decisions\.jsonl, 2 encounters$/);
    const rows = ['train.jsonl', 'validation.jsonl'].flatMap((f) =>
      readFileSync(join(out, f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as TrainingExample),
    );
    const fromNote = rows.find((r) => r.docId === `decisions:${pathToFileURL(note).href}` && r.target.code === 'I50.23');
    assert.equal(fromNote?.target.quote, 'Acute on chronic systolic heart failure', JSON.stringify(manifest.counts));
    const fromServer = rows.find((r) => r.docId === 'decisions:Encounter/synthetic-enc-chf' && r.target.code === 'I50.23');
    assert.equal(fromServer?.noteId, 'DocumentReference/synthetic-note-chf#0');
    assert.ok(!rows.some((r) => r.target.code.startsWith('J18')), 'a rejected code is never a target');
  });
});
