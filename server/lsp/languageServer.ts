// The language server's features on one connection: documents → debounced analysis → diagnostics; hover, code
// actions, CodeLens from the cached analysis; decisions recorded durably and reflected at once. Transport-free, so
// tests drive it in process over paired streams.
import { TextDocuments, TextDocumentSyncKind, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { DecisionStore } from '../adapters/stores/decisionLog';
import { describeError } from '../errors';
import type { SuggestMode } from '../engine/suggest/suggestion';
import { Commands, Methods, type ChartcoderSettings, type Decision, type DecisionRequest, type SuggestionsAnswer, type SuggestionsParams } from '../protocol';
import type { Suggester } from '../suggest/openSuggester';
import { createAnalyzer } from './analysis';
import { codeActionsOf } from './codeActions';
import { summaryLens } from './codeLens';
import { diagnosticsOf } from './diagnostics';
import { hoverOf } from './hover';
import { suggestionItem } from './suggestionItems';
import { registerServiceStatus } from './serviceStatus';

export interface LanguageServerDeps {
  readonly settings: () => ChartcoderSettings;
  readonly suggester: () => Promise<Suggester>;
  readonly decisions: DecisionStore;
  readonly user: string;
  readonly mode?: () => SuggestMode | undefined;
  readonly debounceMs?: number;
}

export function startLanguageServer(connection: Connection, deps: LanguageServerDeps): void {
  const documents = new TextDocuments(TextDocument);
  const analyzer = createAnalyzer({
    suggester: deps.suggester, mode: deps.mode ?? (() => undefined), debounceMs: deps.debounceMs ?? 400,
    onError: (uri, err) => connection.console.error(`chartcoder: coding ${uri} failed: ${describeError(err)}`),
  });
  const publish = (uri: string) => {
    const document = documents.get(uri);
    const analysis = analyzer.latest(uri);
    if (!document || !analysis) return;
    const decisions = deps.decisions.forSubject(uri);
    void connection.sendDiagnostics({ uri, version: analysis.version, diagnostics: diagnosticsOf(document, analysis.result.suggestions, decisions) });
    void connection.sendNotification(Methods.suggestionsChanged, answerFor(uri, decisions));
  };
  const answerFor = (uri: string, decisions = deps.decisions.forSubject(uri)): SuggestionsAnswer => {
    const analysis = analyzer.latest(uri);
    return {
      uri, version: analysis?.version ?? null, degradations: analysis?.result.degradations ?? [],
      items: (analysis?.result.suggestions ?? []).map((s) => suggestionItem(s, decisions.get(s.id) ?? null)),
    };
  };
  const analyze = async (document: TextDocument) => {
    if (await analyzer.schedule(document)) publish(document.uri);
  };

  connection.onInitialize(() => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental, hoverProvider: true, codeActionProvider: true, codeLensProvider: { resolveProvider: false },
      executeCommandProvider: { commands: [Commands.recordDecision] },
    },
    serverInfo: { name: 'chartcoder', version: '0.1.0' },
  }));
  documents.onDidChangeContent((change) => void analyze(change.document));
  documents.onDidClose((event) => { analyzer.forget(event.document.uri); void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] }); });

  const current = (uri: string) => {
    const document = documents.get(uri);
    const analysis = analyzer.latest(uri);
    return document && analysis && analysis.version === document.version ? { document, suggestions: analysis.result.suggestions } : undefined;
  };
  connection.onHover((params) => { const c = current(params.textDocument.uri); return c ? hoverOf(c.document, c.suggestions, params.position) : null; });
  connection.onCodeAction((params) => { const c = current(params.textDocument.uri); return c ? codeActionsOf(c.document, c.suggestions, params.range) : []; });
  connection.onCodeLens((params) => {
    const c = current(params.textDocument.uri);
    return c ? [summaryLens(c.suggestions, deps.decisions.forSubject(params.textDocument.uri))] : [];
  });

  const record = (request: DecisionRequest): Decision => {
    const analysis = analyzer.latest(request.uri);
    const suggestion = analysis?.result.suggestions.find((s) => s.id === request.suggestionId);
    if (!suggestion) throw new Error(`no suggestion ${request.suggestionId} in ${request.uri}`);
    if (request.action === 'replace' && !request.replacementCode) throw new Error('replace needs the code chosen instead');
    const decision = deps.decisions.record({
      subject: request.uri, suggestionId: request.suggestionId, action: request.action, user: deps.user, time: new Date().toISOString(),
      provenance: { ...suggestion.provenance, code: suggestion.code },
      ...(request.replacementCode ? { replacementCode: request.replacementCode } : {}), ...(request.reason ? { reason: request.reason } : {}),
    });
    publish(request.uri);
    return decision;
  };
  connection.onRequest(Methods.recordDecision, (request: DecisionRequest) => record(request));
  connection.onExecuteCommand((params) => (params.command === Commands.recordDecision ? record(params.arguments?.[0] as DecisionRequest) : undefined));
  connection.onRequest(Methods.suggestions, (params: SuggestionsParams) => answerFor(params.uri));
  registerServiceStatus(connection, deps.settings);
  documents.listen(connection);
}
