// Read-only documents whose text the language server writes: `chartcoder:` encounters (read from the FHIR server or
// a Bundle file) and `chartcoder-guidance:` guidance (a tabular entry, index entry or Official Guidelines section).
import * as vscode from 'vscode';
import { ExtensionCommands } from './commandIds';
import type { LanguageClient } from 'vscode-languageclient/node';
import { GUIDANCE_SCHEME } from '../server/protocol';

export function serverDocumentProvider(client: () => LanguageClient | undefined, method: string): vscode.TextDocumentContentProvider {
  return {
    async provideTextDocumentContent(uri) {
      const running = client();
      if (!running?.isRunning()) throw new Error('Chartcoder: the language server is not running');
      try {
        return await running.sendRequest<string>(method, { uri: uri.toString() });
      } catch (err) {
        void vscode.window
          .showErrorMessage(
            `Chartcoder: cannot open ${decodeURIComponent(uri.path.slice(1))}: ${err instanceof Error ? err.message : String(err)}`,
            'Configure services',
          )
          .then((choice) => choice && vscode.commands.executeCommand(ExtensionCommands.configureServices));
        throw err;
      }
    },
  };
}

export async function openEncounter(uri: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  await vscode.window.showTextDocument(document, { preview: false });
}

/** Opens a guidance link beside the note, as Markdown. */
export async function openGuidance(link: string): Promise<void> {
  const uri = vscode.Uri.parse(link);
  if (uri.scheme !== GUIDANCE_SCHEME) throw new Error(`${link} is not a guidance link`);
  const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'markdown');
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: false });
}
