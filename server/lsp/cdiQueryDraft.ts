// A CDI query item drafted from a suggestion, in the shape a compliant query takes (ACDIS/AHIMA "Guidelines for
// Achieving a Compliant Query Practice"): the clinical indicators quoted from the record, an open question, options
// that are all clinically reasonable plus "other" and "unable to determine", and no codes, no reimbursement, nothing
// that leads the provider to one answer.
import type { Suggestion } from '../engine/suggest/suggestion';
import type { CdiQuery, CdiQueryItem } from '../protocol';

const OPEN_OPTIONS = ['Other (please specify)', 'Unable to determine'];

const unique = (xs: readonly string[]) => [...new Set(xs.map((x) => x.trim()).filter(Boolean))];

function kindOf(s: Suggestion): CdiQueryItem['kind'] {
  if (s.findings.some((f) => f.rule === 'excludes1-conflict')) return 'conflict';
  if (s.findings.some((f) => f.rule === 'unspecified-but-documented') || /\bunspecified\b/i.test(s.display) || s.alternatives.length > 0) return 'specificity';
  return 'clinical-validation';
}

/** Clinical wording of a code title for a provider: no "unspecified", no coding conventions in parentheses. */
const clinicalTerm = (display: string): string =>
  display
    .replace(/\s*\((?:congestive|disorder|finding)\)/gi, '')
    .replace(/,?\s*unspecified\b/gi, '')
    .replace(/\s+/g, ' ')
    .trim();

export function draftQueryItem(s: Suggestion): CdiQueryItem {
  const kind = kindOf(s);
  const indicators = unique(s.evidence.map((e) => `“${e.text}”`));
  const documented = indicators[0] ?? 'the documentation';
  const terms = unique([s.display, ...s.alternatives.map((a) => a.display)].filter((d) => !/\bunspecified\b/i.test(d)).map(clinicalTerm));
  const question =
    kind === 'conflict'
      ? `The record documents ${indicators.join(' and ')}. Please clarify which of the following conditions are present during this encounter.`
      : kind === 'specificity'
        ? `The record documents ${documented}. Based on your clinical judgment, can the type, acuity or cause be further specified?`
        : `The record includes ${indicators.join(', ')}. Based on your clinical judgment, please clarify the condition being evaluated, treated or monitored.`;
  const options =
    kind === 'clinical-validation' ? unique([clinicalTerm(s.display), 'Condition ruled out', ...OPEN_OPTIONS]) : unique([...terms, ...OPEN_OPTIONS]);
  return { suggestionId: s.id, code: s.code, kind, question, indicators, options };
}

export function queryText(subject: string, items: readonly CdiQueryItem[]): string {
  const lines = [
    `# Documentation clarification request`,
    '',
    `Regarding: ${subject}`,
    '',
    'Please respond by documenting in the medical record. The options are not exhaustive; choose what is clinically supported.',
    '',
  ];
  items.forEach((item, i) => {
    lines.push(
      `## ${i + 1}. ${item.question}`,
      '',
      'Clinical indicators:',
      ...item.indicators.map((x) => `- ${x}`),
      '',
      'Options:',
      ...item.options.map((o) => `- [ ] ${o}`),
      '',
    );
  });
  return lines.join('\n');
}

export const cdiQueryOf = (subject: string, items: readonly CdiQueryItem[]): CdiQuery => ({ subject, items, text: queryText(subject, items) });
