// Suggestions as diagnostics on their evidence ranges (information; a hint once accepted; gone once rejected or
// replaced) and rule findings that need the coder as warnings.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Suggestion } from '../engine/suggest/suggestion';
import type { Decision } from '../protocol';
import { noteSourceId } from './encounterDocuments';

export interface DiagnosticData {
  readonly suggestionId: string;
}

const percent = (x: number) => `${Math.round(x * 100)}%`;

export function diagnosticsOf(document: TextDocument, suggestions: readonly Suggestion[], decisions: ReadonlyMap<string, Decision>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of suggestions) {
    const decision = decisions.get(s.id);
    if (decision && decision.action !== 'accept') continue;
    const data: DiagnosticData = { suggestionId: s.id };
    for (const e of s.evidence.filter((x) => x.sourceId === noteSourceId(document.uri))) {
      const range = { start: document.positionAt(e.start), end: document.positionAt(e.end) };
      out.push({
        range, source: 'chartcoder', code: s.code, data,
        severity: decision ? DiagnosticSeverity.Hint : DiagnosticSeverity.Information,
        message: `${decision ? '✓ accepted: ' : ''}${s.code} ${s.display} (${percent(s.confidence)})`,
      });
      if (decision) continue;
      for (const f of s.findings.filter((x) => x.severity !== 'info')) {
        out.push({ range, source: 'chartcoder', code: f.rule, data, severity: DiagnosticSeverity.Warning, message: `${s.code}: ${f.message} (${f.source})` });
      }
    }
  }
  return out;
}
