// The whole LoRA pipeline on a tiny CodiEsp subset, on CPU: dataset → LoRA steps (loss decreases) → model card →
// import into the real Ollama (base + adapter) → the numeric check against transformers → one ft+rag suggestion
// through the engine, recording the adapter version. Plus the refusals: an adapter on other base weights, and an
// adapter file that is not the one its card names.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encounterOfNote } from '../../fhir';
import { createOllamaClient } from '../../server/adapters/ollama/client';
import { finalResult } from '../../server/engine/suggest/suggestEncounter';
import { defaultCodiespDir, readCodiesp } from '../../server/tooling/evaluate/codiesp';
import { silentProgress } from '../../server/indexing/progress';
import { buildDataset, codiespDatasetCase } from '../../server/tooling/train/buildDataset';
import { importStampPath, importTunedModel } from '../../server/tooling/train/importTunedModel';
import { modelDir, readModelCard } from '../../server/app/modelCard';
import { trainLora, type LoraOutcome } from '../../server/tooling/train/trainLora';
import { ROOT } from '../helpers/run';
import { localSettings } from '../helpers/settings';
import { sharedSuggester } from '../helpers/suggesters';

const MODEL = 'chartcoder-coder-pipeline-test';
const NOTE = 'Assessment:\n1. Acute on chronic systolic heart failure.\n2. Type 2 diabetes mellitus without complications.\n';

describe('LoRA pipeline (tiny subset, CPU, real Ollama)', function () {
  this.timeout(60 * 60 * 1000);
  const settings = { ...localSettings(), ollama: { ...localSettings().ollama, tunedModel: MODEL } };
  const outDir = modelDir(ROOT, MODEL);
  const datasetDir = mkdtempSync(join(tmpdir(), 'chartcoder-lora-ds-'));
  let outcome: LoraOutcome;

  before(async () => {
    // A run stopped before its `after` leaves its model in Ollama; the first import below must be a real one.
    await createOllamaClient(settings.ollama)
      .delete({ model: MODEL })
      .catch(() => undefined);
    const suggester = await sharedSuggester();
    const cases = (await readCodiesp(defaultCodiespDir(ROOT), settings.cacheDir, 'train')).slice(0, 2);
    const manifest = await buildDataset({
      suggester,
      cases: cases.map(codiespDatasetCase),
      outDir: datasetDir,
      seed: 1,
      validationShare: 0,
      maxMentions: 12,
      progress: silentProgress,
      source: 'pipeline test',
    });
    assert.ok(manifest.examples.train > 0, JSON.stringify(manifest.counts));
    outcome = await trainLora({
      settings,
      projectRoot: ROOT,
      datasetDir,
      model: MODEL,
      outDir,
      steps: 12,
      rank: 4,
      alpha: 8,
      lr: 2e-3,
      maxTokens: 768,
      seed: 3,
      checkPrompts: 2,
      maxNewTokens: 16,
      change: 'pipeline test',
      log: () => {},
    });
  });

  after(async () => {
    rmSync(outDir, { recursive: true, force: true });
    rmSync(datasetDir, { recursive: true, force: true });
    await createOllamaClient(settings.ollama)
      .delete({ model: MODEL })
      .catch(() => undefined);
  });

  it('trains: the loss decreases, and the card records base, adapter, dataset and hyper-parameters', () => {
    const { card } = outcome;
    assert.ok(card.training.lastLoss < card.training.firstLoss, `loss ${card.training.firstLoss} → ${card.training.lastLoss}`);
    assert.match(card.base.sha256, /^[0-9a-f]{64}$/);
    assert.equal(card.adapter.rank, 4);
    assert.deepEqual(card.adapter.targets, ['v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']);
    assert.deepEqual(readModelCard(outDir), card);
  });

  it('serves base + adapter in Ollama, and Ollama follows the PEFT-merged greedy path where transformers is decisive', () => {
    assert.equal(outcome.imported, 'imported');
    const { check } = outcome;
    assert.ok(check.comparedTokens >= 8, JSON.stringify(check));
    assert.deepEqual(check.mismatches, []);
    assert.equal(check.differsFromBase, true, 'the base model leaves the tuned path: the adapter is in effect');
    assert.equal(check.passed, true);
  });

  it('a second import of the same adapter is a no-op', async () => {
    assert.equal(await importTunedModel(settings.ollama, outDir, importStampPath(settings)), 'current');
  });

  it('codes with ft+rag through the engine, recording the tuned model and its adapter version', async () => {
    const suggester = await sharedSuggester('embedded', settings);
    const result = await finalResult(suggester.suggest(encounterOfNote({ name: 'pipeline.note.txt', text: NOTE }), { mode: 'ft+rag', maxMentions: 2 }));
    assert.ok(result.suggestions.length > 0, JSON.stringify(result.degradations));
    const chosen = result.suggestions.filter((s) => s.provenance.model);
    assert.ok(chosen.length > 0, `the tuned model chose none: ${JSON.stringify(result.degradations)}`);
    for (const s of result.suggestions) assert.equal(s.provenance.mode, 'ft+rag');
    for (const s of chosen) {
      assert.match(s.provenance.model!, new RegExp(`^${MODEL}@[0-9a-f]{12}$`));
      assert.equal(s.provenance.adapterVersion, outcome.card.adapterVersion);
    }
    if (chosen.length < result.suggestions.length)
      assert.ok(
        result.degradations.some((d) => /ranked by retrieval/.test(d)),
        'a mention the model failed on says it was ranked by retrieval',
      );
  });

  it('refuses an adapter trained on other base weights, and an adapter file its card does not name', async () => {
    const other = mkdtempSync(join(tmpdir(), 'chartcoder-lora-bad-'));
    cpSync(outDir, other, { recursive: true });
    const card = JSON.parse(readFileSync(join(other, 'card.json'), 'utf8')) as { base: { sha256: string } };
    writeFileSync(join(other, 'card.json'), JSON.stringify({ ...card, base: { ...card.base, sha256: 'f'.repeat(64) } }));
    await assert.rejects(
      importTunedModel(settings.ollama, other, join(other, 'stamps.json'), `${MODEL}-bad`),
      /refusing .*trained on .*ffffffffffff.*but Ollama's chartcoder-base is built from/,
    );
    writeFileSync(join(other, 'card.json'), JSON.stringify(card));
    writeFileSync(join(other, 'adapter_model.safetensors'), 'not the trained weights');
    await assert.rejects(importTunedModel(settings.ollama, other, join(other, 'stamps.json'), `${MODEL}-bad`), /is not the adapter its card names/);
    rmSync(other, { recursive: true, force: true });
  });
});
