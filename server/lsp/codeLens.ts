// The encounter's summary at the top of the note: "7 suggested · 2 need review · 1 conflict".
import type { CodeLens } from 'vscode-languageserver/node';
import type { Suggestion } from '../engine/suggest/suggestion';
import type { Decision } from '../protocol';

export function summaryLens(suggestions: readonly Suggestion[], decisions: ReadonlyMap<string, Decision>): CodeLens {
  const open = suggestions.filter((s) => !decisions.has(s.id));
  const review = open.filter((s) => s.findings.some((f) => f.severity !== 'info') || s.confidence < 0.5).length;
  const conflicts = suggestions.filter((s) => s.findings.some((f) => f.rule === 'excludes1-conflict')).length;
  const decided = suggestions.length - open.length;
  const title = `${suggestions.length} suggested · ${review} need review · ${conflicts} conflict${conflicts === 1 ? '' : 's'}${decided ? ` · ${decided} decided` : ''}`;
  return { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, command: { title, command: '' } };
}
