// Code actions on a suggestion's evidence: Accept, Reject (with a reason), Replace with each alternative, Add to CDI
// query. Each runs a server command that records it.
import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { Commands, REJECT_REASONS, type DecisionRequest } from '../protocol';
import type { Analysis } from './analysis';
import { suggestionsAtOffset } from './evidenceRanges';

export interface CdiQueryRequest {
  readonly uri: string;
  readonly suggestionId: string;
}

const action = (title: string, request: DecisionRequest): CodeAction => ({
  title,
  kind: CodeActionKind.QuickFix,
  command: { title, command: Commands.recordDecision, arguments: [request] },
});

const cdiAction = (title: string, request: CdiQueryRequest): CodeAction => ({
  title,
  kind: CodeActionKind.QuickFix,
  command: { title, command: Commands.addToCdiQuery, arguments: [request] },
});

export function codeActionsOf(document: TextDocument, analysis: Analysis, range: Range): CodeAction[] {
  const uri = document.uri;
  return suggestionsAtOffset(analysis.encounter, analysis.suggestions, document.offsetAt(range.start)).flatMap((s) => [
    action(`Accept ${s.code} ${s.display}`, { uri, suggestionId: s.id, action: 'accept' }),
    ...REJECT_REASONS.slice(0, 2).map((reason) => action(`Reject ${s.code}: ${reason}`, { uri, suggestionId: s.id, action: 'reject', reason })),
    ...s.alternatives.map((a) =>
      action(`Replace ${s.code} with ${a.code} ${a.display}`, { uri, suggestionId: s.id, action: 'replace', replacementCode: a.code }),
    ),
    cdiAction(`Add ${s.code} to CDI query`, { uri, suggestionId: s.id }),
  ]);
}
