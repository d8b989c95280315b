// VS Code entry: start the language client with the user's settings and tokens, and wire the coder's UI — the
// "Encounter codes" tree, evidence highlights, the review panel, commands and the service status bar item.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { Commands, ENCOUNTER_SCHEME, Methods, type CdiQuery, type DecisionRequest, type EncounterSummary, type ServiceHealth, type SuggestionsAnswer } from '../server/protocol';
import { announceCdiQuery, showCdiQuery } from './cdiQueryView';
import { SECRET_SETTINGS, reviewPreferences, serverEnvironment } from './configuration';
import { acceptableAbove } from './encounterCodes';
import { EncounterCodesView, REVEAL_EVIDENCE, revealEvidence, type CodeNode } from './encounterCodesView';
import { encounterContentProvider, openEncounter, pickEncounter } from './encounterDocuments';
import { EvidenceDecorations } from './evidenceDecorations';
import { codeFolder, pickFolder } from './folderReview';
import { ReviewPanel } from './reviewPanel';

export const ExtensionCommands = {
  codeCurrentDocument: 'chartcoder.codeCurrentDocument',
  acceptAllAboveConfidence: 'chartcoder.acceptAllAboveConfidence',
  showReviewPanel: 'chartcoder.showReviewPanel',
  reviewFolder: 'chartcoder.reviewFolder',
  configureServices: 'chartcoder.configureServices',
  openEncounterFromFhirServer: 'chartcoder.openEncounterFromFhirServer',
  showCdiQuery: 'chartcoder.showCdiQuery',
  acceptSuggestion: 'chartcoder.acceptSuggestion',
  rejectSuggestion: 'chartcoder.rejectSuggestion',
} as const;

const REJECT_REASONS = ['not documented', 'not clinically significant', 'ruled out', 'integral to another condition', 'duplicate'];

let client: LanguageClient | undefined;

/** A command whose failure (a server error, a service down) is said in one message instead of a stack. */
function command<A extends unknown[]>(id: string, run: (...args: A) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: A) => {
    try {
      return await run(...args);
    } catch (err) {
      void vscode.window.showErrorMessage(`Chartcoder: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  });
}

async function serverOptions(context: vscode.ExtensionContext): Promise<ServerOptions> {
  const config = vscode.workspace.getConfiguration('chartcoder');
  const secrets = Object.fromEntries(await Promise.all(SECRET_SETTINGS.map(async (s) => [s.key, await context.secrets.get(`chartcoder.${s.key}`)] as const)));
  const { env, problems } = serverEnvironment((key) => config.get(key), secrets);
  for (const problem of problems) void vscode.window.showWarningMessage(`Chartcoder: ${problem} (ignored)`);
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const options = { env: { ...process.env, ...env } };
  return {
    run: { module, transport: TransportKind.ipc, options },
    debug: { module, transport: TransportKind.ipc, options: { ...options, execArgv: ['--nolazy', '--inspect=6009'] } },
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const notePattern = vscode.workspace.getConfiguration('chartcoder').get<string>('notePattern') || '**/*.note.txt';
  const preferences = reviewPreferences((key) => vscode.workspace.getConfiguration('chartcoder').get(key));
  for (const problem of preferences.problems) void vscode.window.showWarningMessage(`Chartcoder: ${problem} (ignored)`);
  const clientOptions: LanguageClientOptions = {
    initializationOptions: { mode: preferences.mode ?? '' },
    synchronize: { configurationSection: 'chartcoder' },
    documentSelector: [
      { scheme: 'file', pattern: notePattern }, { scheme: 'untitled', language: 'plaintext' },
      { scheme: 'file', language: 'json' }, { scheme: ENCOUNTER_SCHEME },
    ],
  };
  client = new LanguageClient('chartcoder', 'Chartcoder', await serverOptions(context), clientOptions);
  const view = new EncounterCodesView();
  const decorations = new EvidenceDecorations();
  const answers = new Map<string, SuggestionsAnswer>();
  const answerFor = async (uri: string) => client!.sendRequest<SuggestionsAnswer>(Methods.suggestions, { uri });
  const decide = (request: DecisionRequest) => client!.sendRequest(Methods.recordDecision, request);
  const review = new ReviewPanel({ decide, answerFor });
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  status.command = Commands.showServiceStatus;
  const activeUri = () => vscode.window.activeTextEditor?.document.uri.toString();
  const refresh = () => {
    const uri = activeUri();
    view.show(uri ? answers.get(uri) : undefined);
    const editor = vscode.window.activeTextEditor;
    if (editor) decorations.apply(editor, answers.get(editor.document.uri.toString()));
  };

  context.subscriptions.push(
    status, decorations, review,
    vscode.window.registerTreeDataProvider('chartcoder.encounterCodes', view),
    vscode.window.onDidChangeActiveTextEditor(refresh),
    command(REVEAL_EVIDENCE, revealEvidence),
    vscode.workspace.registerTextDocumentContentProvider(ENCOUNTER_SCHEME, encounterContentProvider(() => client)),
    command(Commands.openEncounter, openEncounter),
    command(ExtensionCommands.acceptSuggestion, async (node?: CodeNode) => {
      const uri = view.current?.uri;
      if (uri && node?.kind === 'code') await decide({ uri, suggestionId: node.item.id, action: 'accept' });
    }),
    command(ExtensionCommands.rejectSuggestion, async (node?: CodeNode) => {
      const uri = view.current?.uri;
      if (!uri || node?.kind !== 'code') return;
      const reason = await vscode.window.showQuickPick(REJECT_REASONS, { placeHolder: `Why reject ${node.item.code}?` });
      if (reason) await decide({ uri, suggestionId: node.item.id, action: 'reject', reason });
    }),
    command(ExtensionCommands.openEncounterFromFhirServer, async () => {
      const uri = await pickEncounter((text) => client!.sendRequest<EncounterSummary[]>(Methods.findEncounters, { text }));
      if (uri) await openEncounter(uri);
    }),
    command(ExtensionCommands.showCdiQuery, async () => {
      const uri = activeUri();
      if (!uri) { void vscode.window.showInformationMessage('Chartcoder: open a coded note or encounter first.'); return; }
      await showCdiQuery(await client!.sendRequest<CdiQuery>(Methods.cdiQuery, { uri }));
    }),
    command(Commands.showServiceStatus, () => showServiceStatus(status)),
    command(ExtensionCommands.codeCurrentDocument, async () => {
      const uri = activeUri();
      if (!uri) { void vscode.window.showInformationMessage('Chartcoder: open a note (*.note.txt), a FHIR Bundle (*.fhir.json) or an encounter from the FHIR server to code it.'); return; }
      const answer = await answerFor(uri);
      if (answer.version === null) void vscode.window.showInformationMessage('Chartcoder: coding this document; suggestions appear in the Encounter codes view when ready.');
      else { answers.set(uri, answer); refresh(); }
    }),
    command(ExtensionCommands.acceptAllAboveConfidence, async () => {
      const uri = activeUri();
      const answer = uri ? answers.get(uri) : undefined;
      if (!uri || !answer) { void vscode.window.showInformationMessage('Chartcoder: no suggestions for the active document yet.'); return; }
      const preferences = reviewPreferences((key) => vscode.workspace.getConfiguration('chartcoder').get(key));
  for (const problem of preferences.problems) void vscode.window.showWarningMessage(`Chartcoder: ${problem} (ignored)`);
      const typed = await vscode.window.showInputBox({ prompt: 'Accept pending codes at or above this confidence (0–1) with no rule findings to review', value: String(preferences.minimumConfidence), validateInput: (v) => (/^(0(\.\d+)?|1(\.0+)?)$/.test(v.trim()) ? undefined : 'a number from 0 to 1') });
      if (typed === undefined) return;
      const chosen = acceptableAbove(answer.items, Number(typed));
      for (const item of chosen) await decide({ uri, suggestionId: item.id, action: 'accept' });
      void vscode.window.showInformationMessage(`Chartcoder: accepted ${chosen.length} code${chosen.length === 1 ? '' : 's'} at or above ${typed}.`);
    }),
    command(ExtensionCommands.showReviewPanel, async () => {
      const uri = activeUri();
      if (!uri) { void vscode.window.showInformationMessage('Chartcoder: open a coded note first.'); return; }
      review.show([answers.get(uri) ?? (await answerFor(uri))], `Review: ${vscode.Uri.parse(uri).path.split('/').pop()}`);
    }),
    command(ExtensionCommands.reviewFolder, async (given?: vscode.Uri) => {
      const folder = await pickFolder(given);
      const coded = folder && (await codeFolder(folder, (uri) => client!.sendRequest<SuggestionsAnswer>(Methods.codeDocument, { uri })));
      if (!folder || !coded) return;
      for (const answer of coded.answers) answers.set(answer.uri, answer);
      if (coded.failures.length) void vscode.window.showWarningMessage(`Chartcoder: ${coded.failures.length} file(s) not coded: ${coded.failures.slice(0, 3).join('; ')}${coded.failures.length > 3 ? '…' : ''}`);
      review.show(coded.answers, `Review: ${vscode.workspace.asRelativePath(folder)} (${coded.answers.length} encounters)`);
    }),
    command(ExtensionCommands.configureServices, () => configureServices(context)),
  );
  client.onNotification(Methods.cdiQueryChanged, (query: CdiQuery) => void announceCdiQuery(query));
  client.onNotification(Methods.suggestionsChanged, (answer: SuggestionsAnswer) => {
    answers.set(answer.uri, answer);
    refresh();
    review.update(answer);
  });
  await client.start();
  await showServiceStatus(status, false);
}

async function configureServices(context: vscode.ExtensionContext): Promise<void> {
  const choice = await vscode.window.showQuickPick([
    { label: 'Open Chartcoder settings', detail: 'Elasticsearch URL, Ollama host and models, FHIR base URL, mode, minimum confidence', action: 'settings' },
    ...SECRET_SETTINGS.map((s) => ({ label: `Set ${s.key.replace('.', ' ')}`, detail: 'stored in VS Code SecretStorage, never in settings.json', action: s.key })),
  ], { placeHolder: 'Configure Chartcoder services' });
  if (!choice) return;
  if (choice.action === 'settings') { await vscode.commands.executeCommand('workbench.action.openSettings', 'chartcoder'); return; }
  const value = await vscode.window.showInputBox({ prompt: `${choice.label} (empty removes it)`, password: true, ignoreFocusOut: true });
  if (value === undefined) return;
  if (value) await context.secrets.store(`chartcoder.${choice.action}`, value);
  else await context.secrets.delete(`chartcoder.${choice.action}`);
  const restart = await vscode.window.showInformationMessage('Chartcoder: saved. Restart the language server to use it?', 'Restart');
  if (restart && client) {
    await client.stop();
    client = undefined;
    await vscode.commands.executeCommand('workbench.action.reloadWindow');
  }
}

async function showServiceStatus(status: vscode.StatusBarItem, announce = true): Promise<void> {
  if (!client?.isRunning()) {
    void vscode.window.showWarningMessage('Chartcoder: the language server is not running. Reload the window to restart it.');
    return;
  }
  const health = await client.sendRequest<ServiceHealth[]>(Methods.serviceStatus);
  const down = health.filter((h) => h.state !== 'up');
  const model = health.find((h) => h.modelVersion)?.modelVersion;
  status.text = down.length === 0 ? `$(check) Chartcoder${model ? ` · ${model}` : ''}` : `$(warning) Chartcoder: ${down.map((h) => h.service).join(', ')} ${down.length === 1 ? 'is' : 'are'} not up`;
  status.tooltip = [
    ...health.map((h) => `${h.service}: ${h.state}${h.version ? ` (${h.version})` : ''}${h.details.length ? ` — ${h.details.join('; ')}` : ''}${h.fix ? ` — fix: ${h.fix}` : ''}`),
    ...(model ? [`tuned model adapter: ${model}`] : []),
  ].join('\n');
  status.show();
  if (announce) void vscode.window.showInformationMessage(status.tooltip);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
