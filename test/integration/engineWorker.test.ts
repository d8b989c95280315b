// The coding engine in a worker thread, as the language server and the API use it by default: the same codes as in
// process, code checks and guidance documents through messages, a run its caller gives up on cancelled at once while
// the worker stays usable, and a language server coding through it.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encounterOfNote } from '../../fhir';
import { engineWorker, type EngineWorker } from '../../server/app/engineWorker';
import { guidanceIdOf } from '../../server/engine/suggest/guidance';
import { finalResult } from '../../server/engine/suggest/suggestEncounter';
import { startLspSession } from '../helpers/lspSession';
import { ROOT } from '../helpers/run';
import { localSettings } from '../helpers/settings';
import { sharedParts } from '../helpers/suggesters';

const NOTE = 'Assessment and Plan:\n1. Acute on chronic systolic heart failure, EF 25%.\n2. No evidence of pneumonia on chest x-ray.\n';
const encounter = (text: string, name = 'worker') => encounterOfNote({ name, text, date: '2026-01-15' });

describe('coding engine in a worker thread', function () {
  this.timeout(10 * 60 * 1000);
  let worker: EngineWorker;

  before(async () => {
    await sharedParts('embedded'); // the embedded index is built
    worker = engineWorker(localSettings(), ROOT);
  });
  after(() => worker.close());

  it('codes a note as in process, checks written codes and reads the guidance a suggestion cites', async () => {
    const result = await finalResult(worker.suggester.suggest(encounter(NOTE), { mode: 'retrieval' }));
    const chf = result.suggestions.find((s) => s.code === 'I50.23');
    assert.ok(chf, result.suggestions.map((s) => s.code).join(' '));
    assert.equal(worker.suggester.fy, 2026);
    const checks = await worker.suggester.verifyCodes([
      { system: 'icd10cm', code: 'I50.23' },
      { system: 'icd10cm', code: 'I50' },
      { system: 'icd10cm', code: 'Q99.99' },
    ]);
    assert.deepEqual(
      checks.map((c) => c?.verdict.state),
      ['valid', 'needs-specificity', 'invalid'],
    );
    const cited = chf.guidance.map((g) => guidanceIdOf(g.link)).find(Boolean);
    assert.ok(cited, 'the suggestion cites guidance');
    const { doc, indexVersion } = await worker.suggester.guidanceDocument(cited);
    assert.ok(doc, `guidance ${cited} in ${indexVersion}`);
  });

  it('a run its caller gives up on is cancelled at once; the worker goes on answering', async () => {
    const long = Array.from({ length: 400 }, () => NOTE).join('\n');
    const controller = new AbortController();
    const run = finalResult(worker.suggester.suggest(encounter(long, 'long'), { mode: 'retrieval', signal: controller.signal }));
    controller.abort(new Error('superseded by a newer version'));
    await assert.rejects(run, /superseded by a newer version/);
    const next = await finalResult(worker.suggester.suggest(encounter(NOTE, 'next'), { mode: 'retrieval' }));
    assert.ok(next.suggestions.some((s) => s.code === 'I50.23'));
  });

  it('a language server codes through it: diagnostics on the evidence range', async () => {
    const session = await startLspSession(worker.suggester, mkdtempSync(join(tmpdir(), 'chartcoder-lsp-worker-')));
    try {
      const uri = 'file:///synthetic/worker.note.txt';
      await session.open(uri, 'plaintext', NOTE);
      const diagnostics = await session.diagnostics(uri, (d) => d.some((x) => x.code === 'I50.23'));
      const chf = diagnostics.find((d) => d.code === 'I50.23')!;
      assert.equal(chf.range.start.line, 1);
    } finally {
      session.close();
    }
  });
});
