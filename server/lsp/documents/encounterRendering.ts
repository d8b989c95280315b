// An encounter as one read-only text document: a header (encounter, patient, existing codes, warnings), then each
// note under its own heading. Each note's text is copied verbatim, so evidence maps back by a single offset.
import type { EncounterView } from '../../../fhir';
import type { DocumentEncounter } from './documentEncounter';

export interface RenderedEncounter {
  readonly text: string;
  /** Where each note's text begins in `text`, by source note id. */
  readonly noteOffsets: ReadonlyMap<string, number>;
}

const day = (date: string | undefined): string | undefined => date?.slice(0, 10);

function headerLines(view: EncounterView, source: string): string[] {
  const e = view.encounter;
  const period = [day(e.period?.start), day(e.period?.end)].filter(Boolean).join(' → ');
  const patient = view.patient;
  const hints = [...view.conditions, ...view.procedures].filter((h) => h.code);
  return [
    [e.reference, e.setting, period, e.fiscalYear ? `code set FY${e.fiscalYear}` : 'fiscal year unknown'].filter(Boolean).join(' · '),
    ...(patient
      ? [[patient.reference, patient.sex, patient.ageAtService !== undefined ? `${patient.ageAtService} y` : undefined].filter(Boolean).join(' · ')]
      : []),
    `Source: ${source}`,
    ...(hints.length
      ? ['Codes already on the encounter (hints, not answers):', ...hints.map((h) => `  ${h.reference}: ${h.code}${h.display ? ` ${h.display}` : ''}`)]
      : []),
    ...(view.warnings.length ? ['Warnings:', ...view.warnings.map((w) => `  ${w}`)] : []),
  ];
}

export function renderEncounter(view: EncounterView, source: string): RenderedEncounter {
  let text = `${headerLines(view, source).join('\n')}\n`;
  const noteOffsets = new Map<string, number>();
  if (!view.notes.length) text += '\n(no notes: nothing to code)\n';
  for (const note of view.notes) {
    const heading = [note.title ?? 'Note', note.reference, day(note.date), note.contentType === 'text/plain' ? undefined : note.contentType]
      .filter(Boolean)
      .join(' · ');
    text += `\n════ ${heading} ════\n`;
    noteOffsets.set(note.id, text.length);
    text += note.text.endsWith('\n') ? note.text : `${note.text}\n`;
  }
  return { text, noteOffsets };
}

export function renderedDocument(subject: string, view: EncounterView, rendered: RenderedEncounter): DocumentEncounter {
  const lengths = new Map(view.notes.map((n) => [n.id, n.text.length]));
  return {
    subject,
    view,
    codes: [],
    evidenceLocation: (e) => {
      const offset = rendered.noteOffsets.get(e.sourceId);
      const length = lengths.get(e.sourceId);
      if (offset === undefined || length === undefined || e.end > length) return undefined;
      return { start: offset + e.start, end: offset + e.end, exact: true };
    },
  };
}
