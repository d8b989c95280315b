// Code actions on a suggestion's evidence: Accept, Reject (with a reason), Replace with each alternative. Each runs
// the server command that records the decision.
import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Suggestion } from '../engine/suggest/suggestion';
import { Commands, type DecisionRequest } from '../protocol';
import { suggestionsAt } from './hover';

const action = (title: string, request: DecisionRequest): CodeAction => ({
  title, kind: CodeActionKind.QuickFix, command: { title, command: Commands.recordDecision, arguments: [request] },
});

export function codeActionsOf(document: TextDocument, suggestions: readonly Suggestion[], range: Range): CodeAction[] {
  return suggestionsAt(document, suggestions, range.start).flatMap((s) => [
    action(`Accept ${s.code} ${s.display}`, { uri: document.uri, suggestionId: s.id, action: 'accept' }),
    action(`Reject ${s.code}: not documented`, { uri: document.uri, suggestionId: s.id, action: 'reject', reason: 'not documented' }),
    action(`Reject ${s.code}: not clinically significant`, { uri: document.uri, suggestionId: s.id, action: 'reject', reason: 'not clinically significant' }),
    ...s.alternatives.map((a) => action(`Replace ${s.code} with ${a.code} ${a.display}`, { uri: document.uri, suggestionId: s.id, action: 'replace', replacementCode: a.code })),
  ]);
}
