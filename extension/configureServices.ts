// "Configure services": the chartcoder.* settings, or a token kept in SecretStorage (never in settings.json); a new
// token reaches the language server when the window reloads.
import * as vscode from 'vscode';
import { SECRET_SETTINGS } from '../server/protocol';
import type { ChartcoderContext } from './context';

export async function configureServices(ctx: ChartcoderContext): Promise<void> {
  const choice = await vscode.window.showQuickPick(
    [
      { label: 'Open Chartcoder settings', detail: 'Elasticsearch URL, Ollama host and models, FHIR base URL, mode, minimum confidence', action: 'settings' },
      ...SECRET_SETTINGS.map((s) => ({
        label: `Set ${s.key.replace('.', ' ')}`,
        detail: 'stored in VS Code SecretStorage, never in settings.json',
        action: s.key,
      })),
    ],
    { placeHolder: 'Configure Chartcoder services' },
  );
  if (!choice) return;
  if (choice.action === 'settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'chartcoder');
    return;
  }
  const value = await vscode.window.showInputBox({ prompt: `${choice.label} (empty removes it)`, password: true, ignoreFocusOut: true });
  if (value === undefined) return;
  if (value) await ctx.extension.secrets.store(`chartcoder.${choice.action}`, value);
  else await ctx.extension.secrets.delete(`chartcoder.${choice.action}`);
  const restart = await vscode.window.showInformationMessage('Chartcoder: saved. Reload the window so the language server uses it?', 'Reload window');
  if (restart) {
    await ctx.client.stop();
    await vscode.commands.executeCommand('workbench.action.reloadWindow');
  }
}
