// VS Code entry: start the language client, register commands, own every disposable.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { Commands, Methods, type ServiceHealth } from '../server/protocol';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', pattern: '**/*.fhir.json' }, { scheme: 'file', pattern: '**/*.note.txt' }],
  };
  client = new LanguageClient('chartcoder', 'Chartcoder', serverOptions, clientOptions);
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  status.command = Commands.showServiceStatus;
  context.subscriptions.push(status, vscode.commands.registerCommand(Commands.showServiceStatus, () => showServiceStatus(status)));
  await client.start();
  await showServiceStatus(status, false);
}

async function showServiceStatus(status: vscode.StatusBarItem, announce = true): Promise<void> {
  if (!client?.isRunning()) {
    void vscode.window.showWarningMessage('Chartcoder: the language server is not running. Reload the window to restart it.');
    return;
  }
  const health = await client.sendRequest<ServiceHealth[]>(Methods.serviceStatus);
  const down = health.filter((h) => h.state !== 'up');
  status.text = down.length === 0 ? '$(check) Chartcoder' : `$(warning) Chartcoder: ${down.map((h) => h.service).join(', ')} ${down.length === 1 ? 'is' : 'are'} not up`;
  status.tooltip = health.map((h) => `${h.service}: ${h.state}${h.version ? ` (${h.version})` : ''}${h.fix ? ` — ${h.fix}` : ''}`).join('\n');
  status.show();
  if (announce) void vscode.window.showInformationMessage(status.tooltip);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
