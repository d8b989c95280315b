// The status bar item: Elasticsearch (or the embedded index), Ollama with the tuned model's adapter version, and the
// FHIR server, checked at start and every minute. A service that stops being up is announced once, with what coding
// loses and how to fix it.
import * as vscode from 'vscode';
import { ExtensionCommands } from './commandIds';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Commands, Methods, type ServiceHealth } from '../server/protocol';
import { degradedMessage, newlyTroubled, statusSummary } from './serviceHealth';

const CHECK_EVERY_MS = 60_000;

export class ServiceStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  private readonly timer: NodeJS.Timeout;
  private last: readonly ServiceHealth[] | undefined;

  constructor(private readonly client: LanguageClient) {
    this.item.command = Commands.showServiceStatus;
    this.timer = setInterval(() => void this.check(false).catch(() => undefined), CHECK_EVERY_MS);
  }

  /** Checks now; `announce` shows every service's line (the Show service status command). */
  async check(announce: boolean): Promise<void> {
    if (!this.client.isRunning()) {
      this.item.text = '$(error) Chartcoder: language server stopped';
      this.item.tooltip = 'The Chartcoder language server is not running: see Output › Chartcoder, then reload the window.';
      this.item.show();
      if (announce)
        void vscode.window
          .showWarningMessage(`Chartcoder: ${this.item.tooltip}`, 'Reload window')
          .then((c) => c && vscode.commands.executeCommand('workbench.action.reloadWindow'));
      return;
    }
    const health = await this.client.sendRequest<ServiceHealth[]>(Methods.serviceStatus);
    const summary = statusSummary(health);
    this.item.text = summary.text;
    this.item.tooltip = summary.tooltip;
    this.item.show();
    const fresh = newlyTroubled(this.last, health);
    this.last = health;
    if (announce) {
      void vscode.window.showInformationMessage(summary.tooltip);
      return;
    }
    for (const h of fresh) {
      void vscode.window
        .showWarningMessage(degradedMessage(h), 'Configure services')
        .then((c) => c && vscode.commands.executeCommand(ExtensionCommands.configureServices));
    }
  }

  dispose(): void {
    clearInterval(this.timer);
    this.item.dispose();
  }
}
