// The language server's features on one connection: documents → debounced analysis → diagnostics; hover, code
// actions, CodeLens from the cached analysis; decisions and CDI query items recorded durably and reflected at once;
// `chartcoder:` encounter documents read on request. Transport-free, so tests drive it in process over paired streams.
import { TextDocuments, TextDocumentSyncKind, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { cdiQueryOf, draftQueryItem } from './cdiQueryDraft';
import { ChartcoderError, describeError } from '../engine/errors';
import { SUGGEST_MODES, type SuggestMode } from '../engine/suggest/suggestion';
import {
  Commands,
  Methods,
  type CdiQuery,
  type CdiQueryParams,
  type ChartcoderSettings,
  type CodeDocumentParams,
  type Decision,
  type EncounterDocumentParams,
  type EncounterSummary,
  type FindEncountersParams,
  type SuggestionsAnswer,
  type SuggestionsParams,
} from '../protocol';
import type { SettingProblem } from '../protocol';
import type { CdiQueryStore, DecisionStore, EncounterLoader, ServiceProbe, Suggester } from '../app/ports';
import { createAnalyzer } from './analysis';
import { codeActionsOf } from './codeActions';
import { codeLensesOf } from './codeLens';
import { diagnosticsOf } from './diagnostics';
import { readClosedDocument } from './documents/closedDocument';
import { createVirtualEncounters } from './documents/virtualEncounters';
import { documentEncounters } from './encounterDocuments';
import { registerGuidanceDocuments } from './guidanceDocuments';
import { hoverOf } from './hover';
import { parseCdiQueryRequest, parseDecisionRequest } from './requests';
import { answering } from './responseErrors';
import { claimPartiesOf, suggestionItem } from './suggestionItems';
import { registerServiceStatus } from './serviceStatus';

export interface LanguageServerDeps {
  readonly settings: () => ChartcoderSettings;
  readonly suggester: () => Promise<Suggester>;
  readonly decisions: DecisionStore;
  readonly cdiQueries: CdiQueryStore;
  readonly loadEncounter: EncounterLoader;
  readonly findEncounters: (text?: string) => Promise<EncounterSummary[]>;
  readonly user: string;
  /** The health of the services coding rests on (status bar), with the tuned model's adapter version. */
  readonly serviceHealth: ServiceProbe;
  /** Overrides the editor's chartcoder.mode (tests, benchmarks). */
  readonly mode?: () => SuggestMode | undefined;
  /** Settings that could not be used (a malformed URL, a bad model name): each is shown once, naming the setting. */
  readonly settingProblems?: readonly SettingProblem[];
  readonly debounceMs?: number;
}

/** The editor's chartcoder.mode (initializationOptions, then workspace/didChangeConfiguration); empty: the default. */
const modeOf = (section: unknown): SuggestMode | undefined => {
  const mode = (section as { mode?: unknown } | undefined)?.mode;
  return SUGGEST_MODES.find((m) => m === mode);
};

/** A message shown to the user is a request the client answers (or fails): never an unhandled rejection. */
const shown = (request: unknown): void => {
  Promise.resolve(request).catch(() => undefined);
};

/** A mode the editor sent that is none of the modes: said, and the default used. */
const unknownMode = (section: unknown): SettingProblem | undefined => {
  const mode = (section as { mode?: unknown } | undefined)?.mode;
  if (mode === undefined || mode === '' || modeOf(section)) return undefined;
  return { setting: 'chartcoder.mode', message: `${JSON.stringify(mode)} is not one of ${SUGGEST_MODES.join(', ')}: the default is used until it is fixed` };
};

export function startLanguageServer(connection: Connection, deps: LanguageServerDeps): void {
  const documents = new TextDocuments(TextDocument);
  let editorMode: SuggestMode | undefined;
  const virtual = createVirtualEncounters(deps.loadEncounter);
  const told = new Set<string>();
  const analyzer = createAnalyzer({
    encounterOf: documentEncounters(virtual),
    suggester: deps.suggester,
    mode: deps.mode ?? (() => editorMode),
    debounceMs: deps.debounceMs ?? 400,
    onError: (uri, err) => {
      const message = describeError(err);
      connection.console.error(`chartcoder: coding ${uri} failed: ${message}`);
      // Once per distinct failure: a coder typing in a note must not get a toast per keystroke.
      if (!told.has(message)) {
        told.add(message);
        shown(connection.window.showErrorMessage(`Chartcoder could not code this document: ${message}`));
      }
    },
  });
  const subjectOf = (uri: string) => analyzer.latest(uri)?.encounter.subject ?? uri;
  const answerFor = (uri: string, decisions = deps.decisions.forSubject(subjectOf(uri))): SuggestionsAnswer => {
    const analysis = analyzer.latest(uri);
    const claimParties = claimPartiesOf(analysis?.encounter.view);
    return {
      uri,
      version: analysis?.version ?? null,
      degradations: analysis?.degradations ?? [],
      items: analysis ? analysis.suggestions.map((s) => suggestionItem(s, decisions.get(s.id) ?? null, analysis.encounter)) : [],
      ...(claimParties ? { claimParties } : {}),
    };
  };
  const publish = (uri: string) => {
    const document = documents.get(uri);
    const analysis = analyzer.latest(uri);
    if (!document || !analysis) return;
    const decisions = deps.decisions.forSubject(analysis.encounter.subject);
    void connection.sendDiagnostics({ uri, version: analysis.version, diagnostics: diagnosticsOf(document, analysis, decisions) });
    void connection.sendNotification(Methods.suggestionsChanged, answerFor(uri, decisions));
  };
  const analyze = async (document: TextDocument) => {
    if (await analyzer.schedule(document)) publish(document.uri);
  };

  const problems = [...(deps.settingProblems ?? [])];
  const warn = (p: SettingProblem) => {
    shown(connection.window.showWarningMessage(`Chartcoder: ${p.setting}: ${p.message}`));
  };
  connection.onInitialize((params) => {
    editorMode = modeOf(params.initializationOptions);
    const badMode = unknownMode(params.initializationOptions);
    if (badMode) problems.push(badMode);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeActionProvider: true,
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: [Commands.recordDecision, Commands.addToCdiQuery] },
      },
      serverInfo: { name: 'chartcoder', version: '0.1.0' },
    };
  });
  connection.onInitialized(() => problems.forEach(warn));
  connection.onDidChangeConfiguration((change) => {
    const section = (change.settings as { chartcoder?: unknown } | undefined)?.chartcoder;
    const badMode = unknownMode(section);
    if (badMode) warn(badMode);
    const mode = modeOf(section);
    if (mode === editorMode) return;
    editorMode = mode;
    for (const document of documents.all()) void analyze(document);
  });
  documents.onDidChangeContent((change) => void analyze(change.document));
  documents.onDidClose((event) => {
    analyzer.forget(event.document.uri);
    virtual.forget(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  const current = (uri: string) => {
    const document = documents.get(uri);
    const analysis = analyzer.latest(uri);
    return document && analysis && analysis.version === document.version ? { document, analysis } : undefined;
  };
  connection.onHover((params) => {
    const c = current(params.textDocument.uri);
    return c ? hoverOf(c.document, c.analysis, params.position) : null;
  });
  connection.onCodeAction((params) => {
    const c = current(params.textDocument.uri);
    return c ? codeActionsOf(c.document, c.analysis, params.range) : [];
  });
  connection.onCodeLens((params) => {
    const c = current(params.textDocument.uri);
    return c ? codeLensesOf(c.document, c.analysis, deps.decisions.forSubject(c.analysis.encounter.subject)) : [];
  });

  const suggestionIn = (uri: string, suggestionId: string) => {
    const analysis = analyzer.latest(uri);
    const suggestion = analysis?.suggestions.find((s) => s.id === suggestionId);
    if (!analysis || !suggestion) throw new ChartcoderError('not-found', `no suggestion ${suggestionId} in ${uri}`);
    return { subject: analysis.encounter.subject, suggestion };
  };
  const record = (raw: unknown): Decision => {
    const request = parseDecisionRequest(raw);
    const { subject, suggestion } = suggestionIn(request.uri, request.suggestionId);
    const decision = deps.decisions.record({
      subject,
      suggestionId: request.suggestionId,
      action: request.action,
      user: deps.user,
      time: new Date().toISOString(),
      provenance: { ...suggestion.provenance, code: suggestion.code },
      ...(request.replacementCode ? { replacementCode: request.replacementCode } : {}),
      ...(request.reason ? { reason: request.reason } : {}),
    });
    publish(request.uri);
    return decision;
  };
  const cdiQueryFor = (uri: string): CdiQuery => cdiQueryOf(subjectOf(uri), deps.cdiQueries.forSubject(subjectOf(uri)));
  const addToCdiQuery = (raw: unknown): CdiQuery => {
    const request = parseCdiQueryRequest(raw);
    const { subject, suggestion } = suggestionIn(request.uri, request.suggestionId);
    deps.cdiQueries.add({ ...draftQueryItem(suggestion), subject, user: deps.user, time: new Date().toISOString() });
    const query = cdiQueryFor(request.uri);
    void connection.sendNotification(Methods.cdiQueryChanged, query);
    return query;
  };
  connection.onRequest(Methods.recordDecision, answering(record));
  connection.onExecuteCommand(
    answering((params: { command: string; arguments?: unknown[] }) => {
      if (params.command === Commands.recordDecision) return record(params.arguments?.[0]);
      if (params.command === Commands.addToCdiQuery) return addToCdiQuery(params.arguments?.[0]);
      throw new ChartcoderError('bad-input', `unknown command ${params.command}`);
    }),
  );
  connection.onRequest(Methods.suggestions, (params: SuggestionsParams) => answerFor(params.uri));
  connection.onRequest(
    Methods.codeDocument,
    answering(async (params: CodeDocumentParams) => {
      const open = documents.get(params.uri);
      // An open document's analysis is current for its version; a closed file is read and coded again each time.
      if (open && analyzer.latest(params.uri)?.version === open.version) return answerFor(params.uri);
      const document = open ?? readClosedDocument(params.uri);
      if (!(await analyzer.schedule(document, 0)))
        throw new ChartcoderError('bad-input', `${params.uri} is not a note or FHIR encounter Chartcoder codes, or it changed while being coded`);
      publish(params.uri);
      return answerFor(params.uri);
    }),
  );
  connection.onRequest(Methods.cdiQuery, (params: CdiQueryParams) => cdiQueryFor(params.uri));
  connection.onRequest(
    Methods.encounterDocument,
    answering((params: EncounterDocumentParams) => virtual.render(params.uri)),
  );
  connection.onRequest(
    Methods.findEncounters,
    answering((params: FindEncountersParams) => deps.findEncounters(params.text)),
  );
  registerServiceStatus(connection, deps.serviceHealth);
  registerGuidanceDocuments(connection, deps.suggester);
  documents.listen(connection);
}
