// The review panel (a webview) for CDI specialists: the encounter's suggestions in one sortable table, bulk decisions
// and export. Messages from the page are validated before anything is decided.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { DecisionRequest, SuggestionsAnswer } from '../server/protocol';
import { codeSetCsv } from './codeSetExport';
import { finalCodeSet } from './encounterCodes';
import { revealEvidence } from './encounterCodesView';
import { reviewHtml } from './reviewHtml';
import { parseReviewMessage } from './reviewMessages';

export interface ReviewActions {
  decide(request: DecisionRequest): Promise<unknown>;
  answerFor(uri: string): Promise<SuggestionsAnswer>;
}

export class ReviewPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private answer: SuggestionsAnswer | undefined;

  constructor(private readonly actions: ReviewActions) {}

  show(answer: SuggestionsAnswer): void {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('chartcoder.review', 'Chartcoder review', vscode.ViewColumn.Beside, { enableScripts: true, localResourceRoots: [] });
      this.panel.onDidDispose(() => { this.panel = undefined; });
      this.panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw));
    }
    this.render(answer);
    this.panel.reveal(undefined, true);
  }

  /** Redraws when the shown document's suggestions or decisions change; other documents' changes leave it alone. */
  update(answer: SuggestionsAnswer): void {
    if (this.panel && this.answer?.uri === answer.uri) this.render(answer);
  }

  private render(answer: SuggestionsAnswer): void {
    if (!this.panel) return;
    this.answer = answer;
    const name = decodeURIComponent(answer.uri.split('/').pop() ?? answer.uri);
    this.panel.webview.html = reviewHtml(answer, randomBytes(16).toString('base64'), this.panel.webview.cspSource, `Review: ${name}`);
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseReviewMessage(raw);
    if ('problem' in parsed) { void vscode.window.showWarningMessage(`Chartcoder: ignored a malformed review-panel message (${parsed.problem})`); return; }
    const { message } = parsed;
    if (message.type === 'ready') return;
    if (message.type === 'reveal') {
      const evidence = this.answer?.items.find((i) => i.id === message.id)?.evidence[message.evidence];
      if (evidence) await revealEvidence(message.uri, evidence.start, evidence.end);
      return;
    }
    if (message.type === 'decide') {
      for (const id of message.ids) await this.actions.decide({ uri: message.uri, suggestionId: id, action: message.action, ...(message.reason ? { reason: message.reason } : {}) });
      this.update(await this.actions.answerFor(message.uri));
      return;
    }
    const codes = finalCodeSet((await this.actions.answerFor(message.uri)).items);
    if (!codes.length) { void vscode.window.showInformationMessage('Chartcoder: nothing accepted yet; accept codes before exporting.'); return; }
    if (message.format === 'claim') {
      void vscode.window.showWarningMessage('Chartcoder: a FHIR Claim needs the encounter\'s billing provider and coverage, which a note file does not carry. Open the encounter from the FHIR server to export a Claim, or export CSV.');
      return;
    }
    const target = await vscode.window.showSaveDialog({ filters: { CSV: ['csv'] }, defaultUri: vscode.Uri.parse(`${message.uri.replace(/\.[^./]*$/, '')}.codes.csv`) });
    if (target) await vscode.workspace.fs.writeFile(target, Buffer.from(codeSetCsv(message.uri, codes), 'utf8'));
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
