// A bad setting never stops the language server: started with a malformed Elasticsearch URL, a bad model name and an
// unknown mode, it answers initialize, shows one message per bad setting naming it, and codes a note with the rest.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { settingsFromEditor } from '../../server/config/editorSettings';
import { loadSettingsTolerantly } from '../../server/config/load';
import { Methods, type ServiceHealth } from '../../server/protocol';
import type { EncounterView } from '../../fhir';
import type { Suggester } from '../../server/app/ports';
import { fakeSuggester, suggestion } from '../helpers/httpApi';
import { startLspSession } from '../helpers/lspSession';
import { ROOT } from '../helpers/run';

/** The fake engine, its one suggestion's evidence placed where the document says it. */
const documentSuggester = {
  ...fakeSuggester,
  async *suggest(view: EncounterView) {
    const note = view.notes[0]!;
    const start = note.text.indexOf('acute on chronic systolic heart failure');
    const found = {
      ...suggestion,
      evidence: [{ ...suggestion.evidence[0]!, sourceId: note.id, start, end: start + 39, text: note.text.slice(start, start + 39) }],
    };
    for await (const e of fakeSuggester.suggest(view))
      yield e.type === 'result' ? { ...e, result: { ...e.result, encounter: view.encounter.reference, suggestions: [found] } } : e;
  },
} as unknown as Suggester;

describe('language server with bad settings', () => {
  it('loads what it can: each bad value left out, named with its environment variable and the fix', () => {
    const { settings, problems } = loadSettingsTolerantly({
      projectRoot: ROOT,
      env: { CHARTCODER_ES_URL: 'localhost:9200', CHARTCODER_CHAT_MODEL: 'bad model!' },
    });
    assert.equal(settings.elasticsearch.url, '', 'the default: no cluster, the embedded index');
    assert.equal(settings.ollama.chatModel, 'chartcoder-base');
    assert.deepEqual(problems.map((p) => p.setting).sort(), [
      'chartcoder.elasticsearch.url (CHARTCODER_ES_URL)',
      'chartcoder.ollama.chatModel (CHARTCODER_CHAT_MODEL)',
    ]);
    assert.ok(problems.every((p) => /the default is used until it is fixed/.test(p.message)));
  });

  it('answers initialize, shows one warning per bad setting, and still codes a note', async () => {
    const { settings, problems } = loadSettingsTolerantly({
      projectRoot: ROOT,
      env: { CHARTCODER_ES_URL: 'localhost:9200', CHARTCODER_CHAT_MODEL: 'bad model!' },
    });
    const session = await startLspSession(documentSuggester, mkdtempSync(join(tmpdir(), 'chartcoder-lsp-bad-')), settings, {
      settingProblems: problems,
      initializationOptions: { mode: 'magic' },
    });
    try {
      const uri = 'file:///tmp/chartcoder-bad-settings/note.txt';
      await session.open(uri, 'plaintext', 'Assessment: acute on chronic systolic heart failure.');
      const diagnostics = await session.diagnostics(uri, (d) => d.length > 0);
      assert.match(diagnostics.map((d) => d.message).join('\n'), /I50\.23/);
      const warnings = session.messages.filter((m) => m.type === 2).map((m) => m.message);
      assert.equal(warnings.length, 3, warnings.join('\n'));
      assert.ok(warnings.some((w) => w.startsWith('Chartcoder: chartcoder.elasticsearch.url (CHARTCODER_ES_URL):')));
      assert.ok(warnings.some((w) => w.startsWith('Chartcoder: chartcoder.ollama.chatModel (CHARTCODER_CHAT_MODEL): not an Ollama model name')));
      assert.ok(warnings.some((w) => w.startsWith('Chartcoder: chartcoder.mode: "magic" is not one of retrieval, rag, ft, ft+rag')));
    } finally {
      session.close();
    }
  });

  it('asks the editor for CodeLens again once a document is coded, when the editor can (its first ask came before)', async () => {
    const { settings } = loadSettingsTolerantly({ projectRoot: ROOT, env: {} });
    const uri = 'file:///tmp/chartcoder-lens/note.txt';
    for (const refreshSupport of [true, false]) {
      const session = await startLspSession(documentSuggester, mkdtempSync(join(tmpdir(), 'chartcoder-lsp-lens-')), settings, {
        capabilities: { workspace: { codeLens: { refreshSupport } } },
      });
      try {
        await session.open(uri, 'plaintext', 'Assessment: acute on chronic systolic heart failure.');
        await session.diagnostics(uri, (d) => d.length > 0);
        await session.client.sendRequest(Methods.suggestions, { uri }); // the refresh, when sent, came before this answer
        assert.deepEqual(session.refreshes, refreshSupport ? ['codeLens'] : [], `refreshSupport ${refreshSupport}`);
      } finally {
        session.close();
      }
    }
  });

  it('applies a changed setting without a restart: the new FHIR server is what the status probes, a bad value is said, the note is coded again', async () => {
    const { settings } = loadSettingsTolerantly({ projectRoot: ROOT, env: {} });
    const session = await startLspSession(documentSuggester, mkdtempSync(join(tmpdir(), 'chartcoder-lsp-change-')), settings, {
      settingsFromEditor: (section) => settingsFromEditor(section, {}, { projectRoot: ROOT }),
    });
    try {
      const uri = 'file:///tmp/chartcoder-changed-settings/note.txt';
      await session.open(uri, 'plaintext', 'Assessment: acute on chronic systolic heart failure.');
      await session.diagnostics(uri, (d) => d.length > 0);
      const fhirOf = async () => (await session.client.sendRequest<ServiceHealth[]>(Methods.serviceStatus)).find((h) => h.service === 'fhir')!;
      assert.equal((await fhirOf()).state, 'off');

      // The same section the server started with changes nothing: no warning, no recoding.
      await session.client.sendNotification('workspace/didChangeConfiguration', { settings: { chartcoder: {} } });
      const recoded = session.diagnostics(uri, (d) => d.length > 0);
      await session.client.sendNotification('workspace/didChangeConfiguration', {
        settings: { chartcoder: { fhir: { baseUrl: 'http://127.0.0.1:9/fhir' }, elasticsearch: { url: 'localhost:9200' }, ollama: { chatModel: 7 } } },
      });
      await recoded;
      const fhir = await fhirOf();
      assert.equal(fhir.state, 'down');
      assert.match(fhir.endpoint, /127\.0\.0\.1:9\/fhir/);
      const warnings = session.messages.filter((m) => m.type === 2).map((m) => m.message);
      assert.equal(warnings.length, 2, warnings.join('\n'));
      assert.ok(warnings.some((w) => w.startsWith('Chartcoder: chartcoder.elasticsearch.url (CHARTCODER_ES_URL):')));
      assert.ok(warnings.some((w) => w.startsWith('Chartcoder: chartcoder.ollama.chatModel: expected a string, found 7')));
    } finally {
      session.close();
    }
  });
});
