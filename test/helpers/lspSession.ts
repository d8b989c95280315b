// A language server in process over paired streams (vscode-languageserver-node style), with the real engine and
// stores in a folder: the client side waits for the real notifications, never sleeps.
import { PassThrough } from 'node:stream';
import { createConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { createProtocolConnection, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { openApp } from '../../server/app/openApp';
import { fhirBaseUrl } from '../../server/app/health';
import { startLanguageServer, type LanguageServerDeps } from '../../server/lsp/languageServer';
import type { SettingProblem } from '../../server/protocol';
import type { ChartcoderSettings } from '../../server/protocol';
import type { Suggester } from '../../server/app/ports';
import { ROOT } from './run';
import { localSettings } from './settings';

export interface LspSession {
  readonly client: ProtocolConnection;
  /** Resolves with the first diagnostics published for `uri` that satisfy the predicate. */
  diagnostics(uri: string, predicate: (d: readonly Diagnostic[]) => boolean): Promise<Diagnostic[]>;
  /** Resolves with the next notification of this method. */
  notification<T>(method: string): Promise<T>;
  open(uri: string, languageId: string, text: string): Promise<void>;
  /** Every window/showMessage the server sent, from the start. */
  readonly messages: { type: number; message: string }[];
  /** Every refresh request the server sent (workspace/codeLens/refresh → "codeLens"). */
  readonly refreshes: readonly string[];
  close(): void;
}

export interface LspSessionOptions {
  readonly settingProblems?: readonly SettingProblem[];
  readonly initializationOptions?: unknown;
  readonly settingsFromEditor?: LanguageServerDeps['settingsFromEditor'];
  /** The client's capabilities sent at initialize (default: none). */
  readonly capabilities?: object;
}

/** The local settings, pointed at the FHIR test server the way a user's chartcoder.fhir.baseUrl would be. */
export function withTestFhirServer(): ChartcoderSettings {
  const settings = localSettings();
  return { ...settings, fhir: { ...settings.fhir, baseUrl: fhirBaseUrl(settings) } };
}

export async function startLspSession(
  suggester: Suggester,
  storeDir: string,
  settings: ChartcoderSettings = withTestFhirServer(),
  options: LspSessionOptions = {},
): Promise<LspSession> {
  const up = new PassThrough();
  const down = new PassThrough();
  const server = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
  const app = openApp(settings, { projectRoot: ROOT, storeDir, suggester });
  startLanguageServer(server, {
    app,
    user: 'synthetic-coder',
    mode: () => 'retrieval',
    debounceMs: 50,
    ...(options.settingProblems ? { settingProblems: options.settingProblems } : {}),
    ...(options.settingsFromEditor ? { settingsFromEditor: options.settingsFromEditor } : {}),
  });
  server.listen();
  const client = createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  const waiting: { uri: string; predicate: (d: readonly Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }[] = [];
  client.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    for (const w of [...waiting])
      if (params.uri === w.uri && w.predicate(params.diagnostics)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(params.diagnostics);
      }
  });
  const listeners = new Map<string, ((value: unknown) => void)[]>();
  const listen = (method: string) =>
    client.onNotification(method, (value: unknown) => {
      const l = listeners.get(method) ?? [];
      listeners.set(method, []);
      for (const f of l) f(value);
    });
  const listened = new Set<string>();
  const messages: { type: number; message: string }[] = [];
  client.onNotification('window/showMessage', (m: { type: number; message: string }) => messages.push(m));
  const refreshes: string[] = [];
  client.onRequest('workspace/codeLens/refresh', () => {
    refreshes.push('codeLens');
    return null;
  });
  client.onRequest('window/showMessageRequest', (m: { type: number; message: string }) => {
    messages.push(m);
    return null;
  });
  client.listen();
  await client.sendRequest('initialize', {
    processId: null,
    rootUri: null,
    capabilities: options.capabilities ?? {},
    ...(options.initializationOptions ? { initializationOptions: options.initializationOptions } : {}),
  });
  await client.sendNotification('initialized', {});
  return {
    client,
    messages,
    refreshes,
    diagnostics: (uri, predicate) => new Promise((resolve) => waiting.push({ uri, predicate, resolve })),
    notification: <T>(method: string) =>
      new Promise<T>((resolve) => {
        if (!listened.has(method)) {
          listened.add(method);
          listen(method);
        }
        listeners.set(method, [...(listeners.get(method) ?? []), resolve as (value: unknown) => void]);
      }),
    open: (uri, languageId, text) => client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } }),
    close: () => {
      client.dispose();
      server.dispose();
      app.close();
    },
  };
}
