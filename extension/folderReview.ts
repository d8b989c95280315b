// "Review folder of encounters…": code every note and FHIR encounter file under a folder (open or not), one at a
// time with progress and cancellation, and show them all in the review panel for the CDI specialist.
import * as vscode from 'vscode';
import type { SuggestionsAnswer } from '../server/protocol';

const ENCOUNTER_FILES = '**/*.{note.txt,fhir.json}';
const MAX_FILES = 500;

export async function pickFolder(given?: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (given) return given;
  const chosen = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Review encounters in this folder',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return chosen?.[0];
}

export async function codeFolder(
  folder: vscode.Uri,
  codeDocument: (uri: string) => Promise<SuggestionsAnswer>,
): Promise<{ answers: SuggestionsAnswer[]; failures: string[] } | undefined> {
  const files = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, ENCOUNTER_FILES), '**/node_modules/**', MAX_FILES);
  if (!files.length) {
    void vscode.window.showInformationMessage(`Chartcoder: no notes (*.note.txt) or FHIR encounters (*.fhir.json) under ${folder.fsPath}.`);
    return undefined;
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Chartcoder: coding encounters', cancellable: true },
    async (progress, token) => {
      const answers: SuggestionsAnswer[] = [];
      const failures: string[] = [];
      for (const [i, file] of files.entries()) {
        if (token.isCancellationRequested) break;
        progress.report({ message: `${i + 1} of ${files.length}: ${vscode.workspace.asRelativePath(file)}`, increment: 100 / files.length });
        try {
          answers.push(await codeDocument(file.toString()));
        } catch (err) {
          failures.push(`${vscode.workspace.asRelativePath(file)}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      return { answers, failures };
    },
  );
}
