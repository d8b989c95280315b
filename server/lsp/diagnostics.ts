// Suggestions as diagnostics on their evidence ranges (information; a hint once accepted; gone once rejected or
// replaced), rule findings that need the coder as warnings, written codes that are not valid, and why a document
// cannot be coded.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Decision } from '../protocol';
import type { Analysis } from './analysis';
import { placedEvidence } from './evidenceRanges';
import { writtenCodeDiagnostics } from './writtenCodes';

export interface DiagnosticData {
  readonly suggestionId: string;
}

const percent = (x: number) => `${Math.round(x * 100)}%`;

export function diagnosticsOf(document: TextDocument, analysis: Analysis, decisions: ReadonlyMap<string, Decision>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const problem = analysis.encounter.problem;
  if (problem) {
    out.push({
      range: { start: document.positionAt(problem.range.start), end: document.positionAt(problem.range.end) },
      severity: DiagnosticSeverity.Warning,
      source: 'chartcoder',
      code: 'not-codable',
      message: `Chartcoder: ${problem.message}`,
    });
  }
  for (const s of analysis.suggestions) {
    const decision = decisions.get(s.id);
    if (decision && decision.action !== 'accept') continue;
    const data: DiagnosticData = { suggestionId: s.id };
    for (const { location, text } of placedEvidence(analysis.encounter, s)) {
      const range = { start: document.positionAt(location.start), end: document.positionAt(location.end) };
      out.push({
        range,
        source: 'chartcoder',
        code: s.code,
        data,
        severity: decision ? DiagnosticSeverity.Hint : DiagnosticSeverity.Information,
        message: `${decision ? '✓ accepted: ' : ''}${s.code} ${s.display} (${percent(s.confidence)})${location.exact ? '' : `: “${text}”`}`,
      });
      if (decision) continue;
      for (const f of s.findings.filter((x) => x.severity !== 'info')) {
        out.push({ range, source: 'chartcoder', code: f.rule, data, severity: DiagnosticSeverity.Warning, message: `${s.code}: ${f.message} (${f.source})` });
      }
    }
  }
  return [...out, ...writtenCodeDiagnostics(document, analysis.codeChecks)];
}
