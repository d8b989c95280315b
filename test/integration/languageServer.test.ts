// The language server in process over paired streams (vscode-languageserver-node style), driving the real engine
// on the embedded index: diagnostics on evidence ranges, hover, a code action recorded as a durable decision, and a
// restarted server that still has it.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeAction, Hover } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Commands, Methods, type CdiQuery, type Decision, type ServiceHealth, type SuggestionsAnswer } from '../../server/protocol';
import type { OpenedSuggester as Suggester } from '../../server/app/openSuggester';
import { startLspSession } from '../helpers/lspSession';
import { localSettings } from '../helpers/settings';
import { sharedSuggester } from '../helpers/suggesters';

const URI = 'file:///synthetic/chf-admission.note.txt';
const NOTE = 'Assessment and Plan:\n1. Acute on chronic systolic heart failure, EF 25%.\n2. No evidence of pneumonia on chest x-ray.\n';

describe('language server (in process, real engine on the embedded index)', function () {
  this.timeout(10 * 60 * 1000);
  let suggester: Suggester;
  const storeDir = mkdtempSync(join(tmpdir(), 'chartcoder-lsp-'));
  const document = TextDocument.create(URI, 'plaintext', 1, NOTE);

  before(async () => {
    suggester = await sharedSuggester();
  });

  it(
    'opens a note → diagnostics on the evidence ranges; hover; Add to CDI query; ' +
      'Accept → decision stored → diagnostics update; a restarted server keeps both',
    async () => {
      const first = await startLspSession(suggester, storeDir);
      const opened = first.diagnostics(URI, (d) => d.some((x) => x.code === 'I50.23'));
      await first.open(URI, 'plaintext', NOTE);
      const diagnostics = await opened;
      const chf = diagnostics.find((d) => d.code === 'I50.23')!;
      const start = document.offsetAt(chf.range.start);
      const end = document.offsetAt(chf.range.end);
      assert.equal(NOTE.slice(start, end), 'Acute on chronic systolic heart failure');
      assert.equal(chf.source, 'chartcoder');
      assert.ok(!diagnostics.some((d) => String(d.code).startsWith('J18')), 'no pneumonia code for "no evidence of pneumonia"');

      const hover = await first.client.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: URI }, position: chf.range.start });
      const text = (hover!.contents as { value: string }).value;
      assert.match(text, /\*\*I50\.23\*\* Acute on chronic systolic \(congestive\) heart failure — ICD-10-CM FY2026, confidence \d+%/);
      const links = [...text.matchAll(/\]\((command:chartcoder\.openGuidance\?[^)\s]+)\)/g)].map(
        (m) => (JSON.parse(decodeURIComponent(m[1]!.split('?')[1]!)) as string[])[0]!,
      );
      assert.ok(links.length > 0 && links.every((l) => l.startsWith('chartcoder-guidance:/')), 'guidance links open through the client command');
      const guidance = await Promise.all(links.map((uri) => first.client.sendRequest<string>(Methods.guidanceDocument, { uri })));
      for (const doc of guidance) {
        assert.match(doc, /^# .+\n\nICD-10-CM FY2026 · /);
        assert.match(doc, /\nSource: \S+/);
      }
      assert.ok(
        guidance.some((doc) => /I50/.test(doc)),
        'the guidance behind I50.23 names its category',
      );
      await assert.rejects(
        first.client.sendRequest(Methods.guidanceDocument, { uri: 'chartcoder-guidance:/icd10cm%3A2026%3Acode%3ANOPE' }),
        /guidance icd10cm:2026:code:NOPE is not in the knowledge index/,
      );
      const health = await first.client.sendRequest<ServiceHealth[]>(Methods.serviceStatus);
      assert.deepEqual(
        health.map((h) => h.service),
        ['elasticsearch', 'ollama', 'fhir'],
      );
      assert.equal(health[0]!.state, 'up', 'no cluster configured: the embedded index is what retrieval needs');
      assert.match(health[0]!.endpoint, /^embedded index /);
      assert.equal(health[2]!.state, 'up', 'the configured FHIR server answers');

      const actions = await first.client.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: URI },
        range: chf.range,
        context: { diagnostics: [chf] },
      });
      const accept = actions.find((a) => a.title.startsWith('Accept I50.23'))!;
      assert.ok(actions.some((a) => a.title.startsWith('Reject I50.23')) && actions.some((a) => a.title.startsWith('Replace I50.23 with')));
      const toQuery = actions.find((a) => a.title === 'Add I50.23 to CDI query')!;
      const announced = first.notification<CdiQuery>(Methods.cdiQueryChanged);
      const query = await first.client.sendRequest<CdiQuery>('workspace/executeCommand', {
        command: toQuery.command!.command,
        arguments: toQuery.command!.arguments,
      });
      assert.deepEqual(await announced, query);
      assert.equal(query.subject, URI);
      assert.equal(query.items.length, 1);
      assert.deepEqual(query.items[0]!.indicators, ['“Acute on chronic systolic heart failure”']);
      assert.match(query.text, /Clinical indicators:\n- “Acute on chronic systolic heart failure”/);
      assert.match(query.text, /- \[ \] Other \(please specify\)\n- \[ \] Unable to determine/);
      assert.doesNotMatch(query.text, /I50|\bcode\b|reimburse|DRG/i, 'the provider sees clinical terms, never codes or payment');
      const updated = first.diagnostics(URI, (d) => d.some((x) => x.code === 'I50.23' && x.message.startsWith('✓ accepted')));
      const decision = await first.client.sendRequest<Decision>('workspace/executeCommand', {
        command: Commands.recordDecision,
        arguments: accept.command!.arguments,
      });
      assert.equal(decision.action, 'accept');
      assert.equal(decision.user, 'synthetic-coder');
      assert.equal(decision.provenance['code'], 'I50.23');
      await updated;
      const lenses = await first.client.sendRequest<{ command?: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri: URI } });
      assert.match(lenses[0]?.command?.title ?? '', /^\d+ suggested · \d+ need review · 0 conflicts · 1 decided$/);
      first.close();

      const second = await startLspSession(suggester, storeDir);
      const again = second.diagnostics(URI, (d) => d.some((x) => x.code === 'I50.23'));
      await second.open(URI, 'plaintext', NOTE);
      assert.ok(
        (await again).some((x) => x.code === 'I50.23' && x.message.startsWith('✓ accepted')),
        'the decision survived the restart',
      );
      const listed = await second.client.sendRequest<SuggestionsAnswer>(Methods.suggestions, { uri: URI });
      const item = listed.items.find((x) => x.code === 'I50.23');
      assert.equal(item?.decision?.action, 'accept');
      assert.equal(NOTE.slice(item!.evidence[0]!.start, item!.evidence[0]!.end), 'Acute on chronic systolic heart failure');
      const kept = await second.client.sendRequest<CdiQuery>(Methods.cdiQuery, { uri: URI });
      assert.deepEqual(
        kept.items.map((x) => x.code),
        ['I50.23'],
        'the CDI query item survived the restart',
      );
      second.close();
    },
  );

  it('without a configured FHIR server the editor reports it off (notes and Bundles still code), never down', async () => {
    const session = await startLspSession(suggester, mkdtempSync(join(tmpdir(), 'chartcoder-lsp-')), {
      ...localSettings(),
      fhir: { ...localSettings().fhir, baseUrl: '' },
    });
    const health = await session.client.sendRequest<ServiceHealth[]>(Methods.serviceStatus);
    assert.deepEqual(
      health.map((h) => [h.service, h.state]),
      [
        ['elasticsearch', 'up'],
        ['ollama', 'up'],
        ['fhir', 'off'],
      ],
    );
    assert.match(health[2]!.fix ?? '', /chartcoder\.fhir\.baseUrl/);
    session.close();
  });
});
