// Hover on an evidence range: the code, its title, FY, confidence, rationale, rule findings and the guidance it
// rests on, each with a link that opens it.
import type { Hover, Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Suggestion } from '../engine/suggest/suggestion';
import { noteSourceId } from './encounterDocuments';

export function suggestionsAt(document: TextDocument, suggestions: readonly Suggestion[], position: Position): Suggestion[] {
  const offset = document.offsetAt(position);
  return suggestions.filter((s) => s.evidence.some((e) => e.sourceId === noteSourceId(document.uri) && offset >= e.start && offset <= e.end));
}

function markdownOf(s: Suggestion): string {
  return [
    `**${s.code}** ${s.display} — ICD FY${s.fiscalYear}, confidence ${Math.round(s.confidence * 100)}% (${s.confidenceBasis})`,
    s.rationale ? `\n${s.rationale}` : '',
    ...s.findings.map((f) => `- ${f.severity === 'info' ? 'ℹ' : '⚠'} ${f.message} _(${f.source})_`),
    ...(s.guidance.length ? ['\nGuidance:', ...s.guidance.slice(0, 5).map((g) => `- [${g.title}](${g.link})${g.excerpt ? `: ${g.excerpt.slice(0, 160)}` : ''}`)] : []),
    s.alternatives.length ? `\nAlternatives: ${s.alternatives.map((a) => `${a.code} ${a.display}`).join('; ')}` : '',
    `\n_${s.provenance.mode}${s.provenance.model ? ` · ${s.provenance.model}` : ''}${s.provenance.indexVersion ? ` · index ${s.provenance.indexVersion}` : ''}_`,
  ].filter(Boolean).join('\n');
}

export function hoverOf(document: TextDocument, suggestions: readonly Suggestion[], position: Position): Hover | null {
  const found = suggestionsAt(document, suggestions, position);
  if (!found.length) return null;
  return { contents: { kind: 'markdown', value: found.map(markdownOf).join('\n\n---\n\n') } };
}
