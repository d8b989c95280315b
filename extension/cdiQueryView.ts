// The CDI query drafted for an encounter, shown as a Markdown document the CDI specialist edits and sends.
import * as vscode from 'vscode';
import type { CdiQuery } from '../server/protocol';

export async function showCdiQuery(query: CdiQuery): Promise<void> {
  if (!query.items.length) {
    void vscode.window.showInformationMessage('Chartcoder: no CDI query items for this encounter yet. Use "Add … to CDI query" on a suggestion\'s evidence.');
    return;
  }
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: query.text });
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
}

export async function announceCdiQuery(query: CdiQuery): Promise<void> {
  const count = query.items.length;
  const choice = await vscode.window.showInformationMessage(
    `Chartcoder: added to the CDI query for ${query.subject} (${count} question${count === 1 ? '' : 's'}).`,
    'Open query',
  );
  if (choice) await showCdiQuery(query);
}
