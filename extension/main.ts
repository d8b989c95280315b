// VS Code entry: only wiring. The language client, the "Encounter codes" tree with evidence highlights, the review
// panel, the read-only encounter and guidance documents, the command table and the service status bar item.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ENCOUNTER_SCHEME, GUIDANCE_SCHEME, Methods, type CdiQuery, type Decision, type SuggestionsAnswer } from '../server/protocol';
import { announceCdiQuery } from './cdiQueryView';
import { registerCommands } from './commands';
import type { ChartcoderContext } from './context';
import { treeMessage } from './encounterCodes';
import { EncounterCodesView } from './encounterCodesView';
import { EvidenceDecorations } from './evidenceDecorations';
import { createLanguageClient } from './languageClient';
import { ReviewPanel } from './reviewPanel';
import { serverDocumentProvider } from './serverDocuments';
import { ServiceStatusBar } from './serviceStatusBar';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const started = await createLanguageClient(context);
  client = started;
  const view = new EncounterCodesView();
  const tree = vscode.window.createTreeView('chartcoder.encounterCodes', { treeDataProvider: view, showCollapseAll: true });
  const decorations = new EvidenceDecorations();
  const answers = new Map<string, SuggestionsAnswer>();
  const answerFor = (uri: string) => started.sendRequest<SuggestionsAnswer>(Methods.suggestions, { uri });
  const decide: ChartcoderContext['decide'] = (request) => started.sendRequest<Decision>(Methods.recordDecision, request);
  const review = new ReviewPanel({ decide, answerFor });
  const status = new ServiceStatusBar(started);
  const refresh = () => {
    const editor = vscode.window.activeTextEditor;
    const answer = editor ? answers.get(editor.document.uri.toString()) : undefined;
    view.show(answer);
    tree.message = treeMessage(answer);
    if (editor) decorations.apply(editor, answer);
  };
  const ctx: ChartcoderContext = {
    extension: context,
    client: started,
    view,
    review,
    status,
    answers,
    answerFor,
    decide,
    remember(answer) {
      answers.set(answer.uri, answer);
      refresh();
      review.update(answer);
    },
  };

  context.subscriptions.push(
    tree,
    status,
    decorations,
    review,
    vscode.window.onDidChangeActiveTextEditor(refresh),
    vscode.workspace.registerTextDocumentContentProvider(
      ENCOUNTER_SCHEME,
      serverDocumentProvider(() => client, Methods.encounterDocument),
    ),
    vscode.workspace.registerTextDocumentContentProvider(
      GUIDANCE_SCHEME,
      serverDocumentProvider(() => client, Methods.guidanceDocument),
    ),
    ...registerCommands(ctx),
  );
  started.onNotification(Methods.cdiQueryChanged, (query: CdiQuery) => void announceCdiQuery(query));
  started.onNotification(Methods.suggestionsChanged, (answer: SuggestionsAnswer) => ctx.remember(answer));
  await started.start();
  await status.check(false);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
