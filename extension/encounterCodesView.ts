// Tree view "Encounter codes": the active document's suggestions grouped pending / accepted / rejected; each code
// expands to its evidence, and clicking an evidence range reveals it in the note.
import * as vscode from 'vscode';
import type { SuggestionItem, SuggestionsAnswer } from '../server/protocol';
import { InternalCommands } from './commandIds';
import { codeLabel, groupByStatus, type StatusGroup } from './encounterCodes';

export type CodeNode =
  | { readonly kind: 'group'; readonly group: StatusGroup }
  | { readonly kind: 'code'; readonly item: SuggestionItem }
  | { readonly kind: 'evidence'; readonly item: SuggestionItem; readonly index: number };

const ICONS: Record<StatusGroup['status'], string> = { pending: 'circle-large-outline', accepted: 'pass', rejected: 'circle-slash' };

export class EncounterCodesView implements vscode.TreeDataProvider<CodeNode> {
  private answer: SuggestionsAnswer | undefined;
  private readonly changed = new vscode.EventEmitter<CodeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  show(answer: SuggestionsAnswer | undefined): void {
    this.answer = answer;
    this.changed.fire(undefined);
  }

  get current(): SuggestionsAnswer | undefined {
    return this.answer;
  }

  getChildren(node?: CodeNode): CodeNode[] {
    if (!this.answer) return [];
    if (!node) return groupByStatus(this.answer.items).map((group) => ({ kind: 'group', group }));
    if (node.kind === 'group') return node.group.items.map((item) => ({ kind: 'code', item }));
    if (node.kind === 'code') return node.item.evidence.map((_, index) => ({ kind: 'evidence', item: node.item, index }));
    return [];
  }

  getTreeItem(node: CodeNode): vscode.TreeItem {
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(
        node.group.label,
        node.group.status === 'pending' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
      );
      item.iconPath = new vscode.ThemeIcon(ICONS[node.group.status]);
      return item;
    }
    if (node.kind === 'code') {
      const { label, description } = codeLabel(node.item);
      const item = new vscode.TreeItem(label, node.item.evidence.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.description = description;
      item.tooltip = new vscode.MarkdownString(
        [`**${node.item.code}** ${node.item.display}`, node.item.rationale, ...node.item.findings.map((f) => `- ${f.severity}: ${f.message}`)]
          .filter(Boolean)
          .join('\n\n'),
      );
      item.contextValue = node.item.decision ? 'decided' : 'pending';
      item.id = `${this.answer?.uri}#${node.item.id}`;
      return item;
    }
    const evidence = node.item.evidence[node.index]!;
    const item = new vscode.TreeItem(`“${evidence.text}”`, vscode.TreeItemCollapsibleState.None);
    item.description = `chars ${evidence.start}–${evidence.end}`;
    item.command = { command: InternalCommands.revealEvidence, title: 'Reveal evidence', arguments: [this.answer?.uri, evidence.start, evidence.end] };
    return item;
  }
}

export async function revealEvidence(uri: string, start: number, end: number): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const range = new vscode.Range(document.positionAt(start), document.positionAt(end));
  await vscode.window.showTextDocument(document, { selection: range, preserveFocus: false });
}
