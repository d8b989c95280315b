// A bare note (a file, an evaluation document) as an encounter: one source note, the fiscal year from its date of
// service when one is given, no coded hints.
import type { EncounterSetting, EncounterView } from './encounterView';
import { codeSetFiscalYear } from './fiscalYear';

export interface BareNote {
  /** Names the encounter and the note ("file:note.txt", "codiesp:S0004-06142005000900016-1"). */
  readonly name: string;
  readonly text: string;
  readonly contentType?: string;
  readonly date?: string;
  readonly setting?: EncounterSetting;
  readonly warnings?: readonly string[];
}

export function encounterOfNote(note: BareNote): EncounterView {
  const id = `${note.name}#0`;
  const fiscalYear = codeSetFiscalYear(note.date);
  return {
    encounter: {
      reference: note.name,
      setting: note.setting ?? 'other',
      ...(note.date ? { period: { start: note.date } } : {}),
      ...(fiscalYear ? { fiscalYear } : {}),
    },
    notes: [{ id, reference: note.name, attachmentIndex: 0, contentType: note.contentType ?? 'text/plain', text: note.text }],
    conditions: [],
    procedures: [],
    observations: [],
    medications: [],
    warnings: [...(note.warnings ?? []), ...(fiscalYear ? [] : [`${id}: no date of service; the code-set fiscal year is unknown`])],
  };
}
