// Hover on an evidence range: the code, its title, FY, confidence, rationale, rule findings and the guidance it
// rests on, each with a link that opens it. Hover on a code written in FHIR JSON: its title and validity.
import type { Hover, Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SYSTEM_NAMES } from '../engine/retrieve/knowledgeDoc';
import type { Suggestion } from '../engine/suggest/suggestion';
import type { Analysis } from './analysis';
import { suggestionsAtOffset } from './evidenceRanges';
import { openGuidanceLink } from './guidanceDocuments';
import { writtenCodeHover } from './writtenCodes';

function markdownOf(s: Suggestion): string {
  return [
    `**${s.code}** ${s.display} — ${SYSTEM_NAMES[s.system]} FY${s.fiscalYear}, confidence ${Math.round(s.confidence * 100)}% (${s.confidenceBasis})`,
    s.evidence.length ? `\nEvidence: ${s.evidence.map((e) => `“${e.text}”`).join(', ')}` : '',
    s.rationale ? `\n${s.rationale}` : '',
    ...s.findings.map((f) => `- ${f.severity === 'info' ? 'ℹ' : '⚠'} ${f.message} _(${f.source})_`),
    ...(s.guidance.length
      ? [
          '\nGuidance:',
          ...s.guidance
            .slice(0, 5)
            .map((g) => `- [${g.title.replace(/[[\]]/g, '\\$&')}](${openGuidanceLink(g.link)})${g.excerpt ? `: ${g.excerpt.slice(0, 160)}` : ''}`),
        ]
      : []),
    s.alternatives.length ? `\nAlternatives: ${s.alternatives.map((a) => `${a.code} ${a.display}`).join('; ')}` : '',
    `\n_${s.provenance.mode}${s.provenance.codingModel ? ` · ${s.provenance.codingModel}` : ''}${s.provenance.model ? ` · ${s.provenance.model}` : ''}${s.provenance.indexVersion ? ` · index ${s.provenance.indexVersion}` : ''}_`,
  ]
    .filter(Boolean)
    .join('\n');
}

export function hoverOf(document: TextDocument, analysis: Analysis, position: Position): Hover | null {
  const offset = document.offsetAt(position);
  const written = writtenCodeHover(analysis.codeChecks, analysis.suggestions, offset);
  const found = suggestionsAtOffset(analysis.encounter, analysis.suggestions, offset);
  const parts = [...(written ? [written] : []), ...found.map(markdownOf)];
  return parts.length ? { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') } } : null;
}
