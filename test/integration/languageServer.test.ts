// The language server in process over paired streams (vscode-languageserver-node style), driving the real engine
// on the embedded index: diagnostics on evidence ranges, hover, a code action recorded as a durable decision, and a
// restarted server that still has it.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { createProtocolConnection, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import type { CodeAction, Diagnostic, Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { openDecisionLog } from '../../server/adapters/stores/decisionLog';
import { startLanguageServer } from '../../server/lsp/languageServer';
import { Commands, Methods, type Decision, type SuggestionsAnswer } from '../../server/protocol';
import type { Suggester } from '../../server/suggest/openSuggester';
import { localSettings } from '../helpers/settings';
import { sharedSuggester } from '../helpers/suggesters';

const URI = 'file:///synthetic/chf-admission.note.txt';
const NOTE = 'Assessment and Plan:\n1. Acute on chronic systolic heart failure, EF 25%.\n2. No evidence of pneumonia on chest x-ray.\n';

interface Session {
  readonly client: ProtocolConnection;
  diagnostics(predicate: (d: readonly Diagnostic[]) => boolean): Promise<Diagnostic[]>;
  close(): void;
}

async function startSession(suggester: Suggester, decisionsPath: string): Promise<Session> {
  const up = new PassThrough();
  const down = new PassThrough();
  const server = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
  const decisions = openDecisionLog(decisionsPath);
  startLanguageServer(server, { settings: localSettings, suggester: async () => suggester, decisions, user: 'synthetic-coder', mode: () => 'retrieval', debounceMs: 50 });
  server.listen();
  const client = createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  const waiting: { predicate: (d: readonly Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }[] = [];
  client.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    for (const w of [...waiting]) if (params.uri === URI && w.predicate(params.diagnostics)) { waiting.splice(waiting.indexOf(w), 1); w.resolve(params.diagnostics); }
  });
  client.listen();
  await client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} });
  await client.sendNotification('initialized', {});
  return {
    client,
    diagnostics: (predicate) => new Promise((resolve) => waiting.push({ predicate, resolve })),
    close: () => { client.dispose(); server.dispose(); decisions.close(); },
  };
}

describe('language server (in process, real engine on the embedded index)', function () {
  this.timeout(10 * 60 * 1000);
  let suggester: Suggester;
  const decisionsPath = join(mkdtempSync(join(tmpdir(), 'chartcoder-lsp-')), 'decisions.jsonl');
  const document = TextDocument.create(URI, 'plaintext', 1, NOTE);

  before(async () => { suggester = await sharedSuggester(); });

  it('opens a note → diagnostics on the evidence ranges; hover; Accept → decision stored → diagnostics update; a restarted server keeps it', async () => {
    const first = await startSession(suggester, decisionsPath);
    const opened = first.diagnostics((d) => d.some((x) => x.code === 'I50.23'));
    await first.client.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'plaintext', version: 1, text: NOTE } });
    const diagnostics = await opened;
    const chf = diagnostics.find((d) => d.code === 'I50.23')!;
    const start = document.offsetAt(chf.range.start);
    const end = document.offsetAt(chf.range.end);
    assert.equal(NOTE.slice(start, end), 'Acute on chronic systolic heart failure');
    assert.equal(chf.source, 'chartcoder');
    assert.ok(!diagnostics.some((d) => String(d.code).startsWith('J18')), 'no pneumonia code for "no evidence of pneumonia"');

    const hover = await first.client.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: URI }, position: chf.range.start });
    const text = (hover?.contents as { value: string }).value;
    assert.match(text, /\*\*I50\.23\*\* Acute on chronic systolic \(congestive\) heart failure — ICD FY2026, confidence \d+%/);
    assert.match(text, /chartcoder-guidance:/);

    const actions = await first.client.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: URI }, range: chf.range, context: { diagnostics: [chf] } });
    const accept = actions.find((a) => a.title.startsWith('Accept I50.23'))!;
    assert.ok(actions.some((a) => a.title.startsWith('Reject I50.23')) && actions.some((a) => a.title.startsWith('Replace I50.23 with')));
    const updated = first.diagnostics((d) => d.some((x) => x.code === 'I50.23' && x.message.startsWith('✓ accepted')));
    const decision = await first.client.sendRequest<Decision>('workspace/executeCommand', { command: Commands.recordDecision, arguments: accept.command!.arguments });
    assert.equal(decision.action, 'accept');
    assert.equal(decision.user, 'synthetic-coder');
    assert.equal(decision.provenance['code'], 'I50.23');
    await updated;
    const lenses = await first.client.sendRequest<{ command?: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri: URI } });
    assert.match(lenses[0]?.command?.title ?? '', /^\d+ suggested · \d+ need review · 0 conflicts · 1 decided$/);
    first.close();

    const second = await startSession(suggester, decisionsPath);
    const again = second.diagnostics((d) => d.some((x) => x.code === 'I50.23'));
    await second.client.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'plaintext', version: 1, text: NOTE } });
    assert.ok((await again).some((x) => x.code === 'I50.23' && x.message.startsWith('✓ accepted')), 'the decision survived the restart');
    const listed = await second.client.sendRequest<SuggestionsAnswer>(Methods.suggestions, { uri: URI });
    const item = listed.items.find((x) => x.code === 'I50.23');
    assert.equal(item?.decision?.action, 'accept');
    assert.equal(NOTE.slice(item!.evidence[0]!.start, item!.evidence[0]!.end), 'Acute on chronic systolic heart failure');
    second.close();
  });
});
