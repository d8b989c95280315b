// The review panel (a webview) for CDI specialists: the suggestions of an encounter, or of a folder of encounters, in
// one sortable table, bulk decisions and export. Messages from the page are validated before anything is decided.
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { DecisionRequest, SuggestionsAnswer } from '../server/protocol';
import { claimContextOf, codeSetClaim, codeSetCsv } from './codeSetExport';
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
  private answers: readonly SuggestionsAnswer[] = [];
  private title = '';

  constructor(private readonly actions: ReviewActions) {}

  show(answers: readonly SuggestionsAnswer[], title: string): void {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('chartcoder.review', 'Chartcoder review', vscode.ViewColumn.Beside, {
        enableScripts: true,
        localResourceRoots: [],
      });
      this.panel.onDidDispose(() => {
        this.panel = undefined;
      });
      this.panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw));
    }
    this.title = title;
    this.render(answers);
    this.panel.reveal(undefined, true);
  }

  /** Redraws when a shown document's suggestions or decisions change; other documents' changes leave it alone. */
  update(answer: SuggestionsAnswer): void {
    if (this.panel && this.answers.some((a) => a.uri === answer.uri)) this.render(this.answers.map((a) => (a.uri === answer.uri ? answer : a)));
  }

  private render(answers: readonly SuggestionsAnswer[]): void {
    if (!this.panel) return;
    this.answers = answers;
    this.panel.webview.html = reviewHtml(answers, randomBytes(16).toString('base64'), this.panel.webview.cspSource, this.title);
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseReviewMessage(raw);
    if ('problem' in parsed) {
      void vscode.window.showWarningMessage(`Chartcoder: ignored a malformed review-panel message (${parsed.problem})`);
      return;
    }
    const { message } = parsed;
    if (message.type === 'ready') return;
    if (message.type === 'reveal') {
      const evidence = this.answers.find((a) => a.uri === message.uri)?.items.find((i) => i.id === message.id)?.evidence[message.evidence];
      if (evidence) await revealEvidence(message.uri, evidence.start, evidence.end);
      return;
    }
    if (message.type === 'decide') {
      for (const id of message.ids)
        await this.actions.decide({ uri: message.uri, suggestionId: id, action: message.action, ...(message.reason ? { reason: message.reason } : {}) });
      this.update(await this.actions.answerFor(message.uri));
      return;
    }
    const answers = await Promise.all(message.uris.map((uri) => this.actions.answerFor(uri)));
    const coded = answers.map((answer) => ({ answer, codes: finalCodeSet(answer.items) })).filter((x) => x.codes.length);
    if (!coded.length) {
      void vscode.window.showInformationMessage('Chartcoder: nothing accepted yet; accept codes before exporting.');
      return;
    }
    if (message.format === 'claim') {
      if (answers.length > 1) {
        void vscode.window.showWarningMessage(
          "Chartcoder: a FHIR Claim is drafted per encounter: open one encounter's review to export its Claim, or export CSV for the folder.",
        );
        return;
      }
      const { answer, codes } = coded[0]!;
      const context = claimContextOf(answer.claimParties, new Date().toISOString());
      if ('missing' in context) {
        void vscode.window.showWarningMessage(`Chartcoder: a FHIR Claim needs ${context.missing.join(' and ')}. Export CSV instead, or complete the record.`);
        return;
      }
      await this.save(answer.uri, 'claim.json', { 'FHIR JSON': ['json'] }, `${JSON.stringify(codeSetClaim(codes, context), null, 2)}\n`);
      return;
    }
    const csv = codeSetCsv(coded.map(({ answer, codes }) => ({ encounter: answer.claimParties?.encounter ?? answer.uri, codes })));
    await this.save(answers.length > 1 ? answers[0]!.uri.replace(/[^/]*$/, 'encounters') : answers[0]!.uri, 'codes.csv', { CSV: ['csv'] }, csv);
  }

  /** Next to a file document; in the workspace (or home) folder for an encounter read from a server. */
  private async save(uri: string, suffix: string, filters: Record<string, string[]>, content: string): Promise<void> {
    const source = vscode.Uri.parse(uri);
    const stem = source.path
      .split('/')
      .pop()!
      .replace(/\.[^.]*$/, '')
      .replace(/\.fhir$/, '');
    const folder = source.scheme === 'file' ? vscode.Uri.joinPath(source, '..') : (vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir()));
    const target = await vscode.window.showSaveDialog({ filters, defaultUri: vscode.Uri.joinPath(folder, `${stem}.${suffix}`) });
    if (target) await vscode.workspace.fs.writeFile(target, Buffer.from(content, 'utf8'));
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
