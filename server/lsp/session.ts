// What the language server's features share on one connection: the open documents, the debounced analysis, the
// `chartcoder:` encounter documents, and how a document's suggestions are published (diagnostics plus the
// suggestions panel's answer) with the coders' decisions applied.
import { CodeLensRefreshRequest, TextDocuments, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { App, DecisionStore } from '../app/ports';
import { describeError } from '../engine/errors';
import type { SuggestMode } from '../engine/suggest/suggestion';
import { Methods, type ChartcoderSettings, type SettingProblem, type SuggestionsAnswer } from '../protocol';
import { createAnalyzer, type Analysis, type Analyzer } from './analysis';
import { diagnosticsOf } from './diagnostics';
import { createVirtualEncounters, type VirtualEncounters } from './documents/virtualEncounters';
import { documentEncounters } from './encounterDocuments';
import { claimPartiesOf, suggestionItem } from './suggestionItems';

export interface LanguageServerDeps {
  /** Read at each use: after new settings it is the new settings' (openApp's reconfigure). */
  readonly app: App;
  readonly user: string;
  /** The settings the editor's chartcoder.* section makes, with what could not be used in it (each named). */
  readonly settingsFromEditor?: (section: unknown) => { readonly settings: ChartcoderSettings; readonly problems: readonly SettingProblem[] };
  /** Overrides the editor's chartcoder.mode (tests, benchmarks). */
  readonly mode?: () => SuggestMode | undefined;
  /** Settings that could not be used (a malformed URL, a bad model name): each is shown once, naming the setting. */
  readonly settingProblems?: readonly SettingProblem[];
  readonly debounceMs?: number;
}

export interface Session {
  readonly connection: Connection;
  readonly deps: LanguageServerDeps;
  readonly documents: TextDocuments<TextDocument>;
  readonly analyzer: Analyzer;
  readonly virtual: VirtualEncounters;
  /** The subject decisions are kept under: the encounter's, or the document's URI. */
  subjectOf(uri: string): string;
  answerFor(uri: string, decisions?: ReturnType<DecisionStore['forSubject']>): SuggestionsAnswer;
  /** Sends the document's diagnostics and its suggestions panel answer. */
  publish(uri: string): void;
  analyze(document: TextDocument): Promise<void>;
  /** The open document and its analysis when the analysis is of the version the editor shows. */
  current(uri: string): { document: TextDocument; analysis: Analysis } | undefined;
  /** Whether the client asks for CodeLens again on `workspace/codeLens/refresh` (set at initialize). */
  codeLensRefresh: boolean;
}

/** A message shown to the user is a request the client answers (or fails): never an unhandled rejection. */
export const shown = (request: unknown): void => {
  Promise.resolve(request).catch(() => undefined);
};

export function createSession(connection: Connection, deps: LanguageServerDeps, editorMode: () => SuggestMode | undefined): Session {
  const documents = new TextDocuments(TextDocument);
  const virtual = createVirtualEncounters((target) => deps.app.loadEncounter(target));
  const told = new Set<string>();
  const analyzer = createAnalyzer({
    encounterOf: documentEncounters(virtual),
    suggester: () => deps.app.suggester(),
    mode: deps.mode ?? editorMode,
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
  const answerFor = (uri: string, decisions = deps.app.decisions.forSubject(subjectOf(uri))): SuggestionsAnswer => {
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
    const decisions = deps.app.decisions.forSubject(analysis.encounter.subject);
    void connection.sendDiagnostics({ uri, version: analysis.version, diagnostics: diagnosticsOf(document, analysis, decisions) });
    void connection.sendNotification(Methods.suggestionsChanged, answerFor(uri, decisions));
    // The editor asked for CodeLens when the document opened, before its analysis existed: it asks again now.
    if (session.codeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  };
  const session: Session = {
    connection,
    deps,
    documents,
    analyzer,
    virtual,
    subjectOf,
    answerFor,
    publish,
    async analyze(document) {
      if (await analyzer.schedule(document)) publish(document.uri);
    },
    current(uri) {
      const document = documents.get(uri);
      const analysis = analyzer.latest(uri);
      return document && analysis && analysis.version === document.version ? { document, analysis } : undefined;
    },
    codeLensRefresh: false,
  };
  return session;
}
