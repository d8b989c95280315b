// The encounter's summary at the top of the document: "7 suggested · 2 need review · 1 conflict"; and above each
// Encounter of a Bundle that holds several, "Code this encounter", which opens it as its own document.
import type { CodeLens } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { Commands, encounterUri, type Decision } from '../protocol';
import type { Analysis } from './analysis';

const TOP = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function summaryLens(analysis: Analysis, decisions: ReadonlyMap<string, Decision>): CodeLens {
  const suggestions = analysis.suggestions;
  const open = suggestions.filter((s) => !decisions.has(s.id));
  const review = open.filter((s) => s.findings.some((f) => f.severity !== 'info') || s.confidence < 0.5).length;
  const conflicts = suggestions.filter((s) => s.findings.some((f) => f.rule === 'excludes1-conflict')).length;
  const decided = suggestions.length - open.length;
  const title =
    `${suggestions.length} suggested · ${review} need review · ${conflicts} ` +
    `conflict${conflicts === 1 ? '' : 's'}${decided ? ` · ${decided} decided` : ''}`;
  return { range: TOP, command: { title, command: '' } };
}

export function codeLensesOf(document: TextDocument, analysis: Analysis, decisions: ReadonlyMap<string, Decision>): CodeLens[] {
  const encounters = analysis.encounter.encounters ?? [];
  const bundle = URI.parse(document.uri).scheme === 'file' ? URI.parse(document.uri).fsPath : undefined;
  return [
    ...(analysis.encounter.view ? [summaryLens(analysis, decisions)] : []),
    ...(bundle
      ? encounters.map((e) => {
          const at = document.positionAt(e.range.start);
          return {
            range: { start: at, end: at },
            command: { title: `Code this encounter (Encounter/${e.id})`, command: Commands.openEncounter, arguments: [encounterUri({ id: e.id, bundle })] },
          };
        })
      : []),
  ];
}
