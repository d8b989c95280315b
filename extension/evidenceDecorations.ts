// Highlights every evidence range in the note, coloured by the suggestion's review status.
import * as vscode from 'vscode';
import type { SuggestionsAnswer } from '../server/protocol';
import { evidenceRanges, type ReviewStatus } from './encounterCodes';

const STYLE: Record<ReviewStatus, vscode.DecorationRenderOptions> = {
  pending: { backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'), borderRadius: '2px' },
  accepted: { backgroundColor: new vscode.ThemeColor('diffEditor.insertedTextBackground'), borderRadius: '2px' },
  rejected: { textDecoration: 'line-through', opacity: '0.7' },
};

export class EvidenceDecorations implements vscode.Disposable {
  private readonly types = Object.fromEntries(
    Object.entries(STYLE).map(([status, style]) => [status, vscode.window.createTextEditorDecorationType(style)]),
  ) as Record<ReviewStatus, vscode.TextEditorDecorationType>;

  apply(editor: vscode.TextEditor, answer: SuggestionsAnswer | undefined): void {
    const ranges = answer && answer.uri === editor.document.uri.toString() && answer.version === editor.document.version ? evidenceRanges(answer.items) : [];
    for (const status of Object.keys(this.types) as ReviewStatus[]) {
      editor.setDecorations(
        this.types[status],
        ranges
          .filter((r) => r.status === status)
          .map((r) => ({
            range: new vscode.Range(editor.document.positionAt(r.start), editor.document.positionAt(r.end)),
            hoverMessage: `${r.code} · ${status}`,
          })),
      );
    }
  }

  dispose(): void {
    for (const type of Object.values(this.types)) type.dispose();
  }
}
