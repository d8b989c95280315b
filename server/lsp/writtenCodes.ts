// Codes already written in a FHIR JSON document (Condition.code.coding, Procedure.code.coding …), checked against
// the code set: a header or an unknown code is a warning on the code itself; hover tells the title and validity and
// what Chartcoder suggests in the same category from the notes.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeSystem } from '../../fhir';
import type { Suggester } from '../app/ports';
import type { CodeVerdict } from '../engine/suggest/codeValidity';
import { SYSTEM_NAMES, type CodeSystemKey } from '../engine/retrieve/knowledgeDoc';
import { categoryOf } from '../engine/metrics/codingMetrics';
import type { Suggestion } from '../engine/suggest/suggestion';
import type { WrittenCode } from './documents/documentEncounter';

export interface WrittenCodeCheck {
  readonly written: WrittenCode;
  readonly system: CodeSystemKey;
  readonly fy: number;
  readonly verdict: CodeVerdict;
}

const keyOf = (uri: string): CodeSystemKey | undefined => (Object.keys(SYSTEM_NAMES) as CodeSystemKey[]).find((k) => CodeSystem[k] === uri);

export async function checkWrittenCodes(codes: readonly WrittenCode[], suggester: Pick<Suggester, 'verifyCodes'>): Promise<WrittenCodeCheck[]> {
  const known = codes.flatMap((written) => {
    const system = keyOf(written.system);
    return system ? [{ written, system }] : [];
  });
  if (!known.length) return [];
  const checks = await suggester.verifyCodes(known.map((k) => ({ system: k.system, code: k.written.code })));
  // A system with no code set loaded (CPT without a licensed file) cannot judge its codes.
  return known.flatMap((k, i) => {
    const check = checks[i];
    return check ? [{ written: k.written, system: k.system, fy: check.fy, verdict: check.verdict }] : [];
  });
}

const rangeIn = (document: TextDocument, c: WrittenCodeCheck) => ({
  start: document.positionAt(c.written.range.start),
  end: document.positionAt(c.written.range.end),
});

function problemOf(c: WrittenCodeCheck): string | undefined {
  const name = `${SYSTEM_NAMES[c.system]} FY${c.fy}`;
  if (c.verdict.state === 'invalid') return `${c.written.code} is not a ${name} code`;
  if (c.verdict.state === 'needs-specificity') {
    const children = c.verdict.children
      .slice(0, 4)
      .map((x) => x.code)
      .join(', ');
    return (
      `${c.written.code} ${c.verdict.entry.title} is a header, not a billable ${name} ` +
      `code${children ? `: choose ${children}${c.verdict.children.length > 4 ? '…' : ''}` : ''}`
    );
  }
  return undefined;
}

export function writtenCodeDiagnostics(document: TextDocument, checks: readonly WrittenCodeCheck[]): Diagnostic[] {
  return checks.flatMap((c) => {
    const message = problemOf(c);
    return message
      ? [
          {
            range: rangeIn(document, c),
            severity: DiagnosticSeverity.Warning,
            source: 'chartcoder',
            code: 'written-code',
            message: `${message} (${c.written.resource})`,
          },
        ]
      : [];
  });
}

export function writtenCodeHover(checks: readonly WrittenCodeCheck[], suggestions: readonly Suggestion[], offset: number): string | undefined {
  const c = checks.find((x) => offset >= x.written.range.start && offset <= x.written.range.end);
  if (!c) return undefined;
  const name = `${SYSTEM_NAMES[c.system]} FY${c.fy}`;
  const title = c.verdict.state === 'invalid' ? undefined : c.verdict.entry.title;
  const related = suggestions.filter((s) => s.system === c.system && categoryOf(s.code) === categoryOf(c.written.code));
  return [
    `**${c.written.code}** ${title ?? ''} — ${name}, ${c.verdict.state === 'valid' ? 'billable' : problemOf(c)} _(${c.written.resource})_`,
    ...related.map(
      (s) =>
        `- Chartcoder ${
          s.code === c.written.code ? 'also suggests it' : `suggests **${s.code}** ` + `${s.display}`
        } from the notes (${Math.round(s.confidence * 100)}%): “${s.evidence[0]?.text ?? ''}”`,
    ),
  ].join('\n');
}
