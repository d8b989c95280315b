// The encounter an `encounter` or `code` command reads: a note file, a Bundle file, or --fhir URL --id ID.
import { InvalidArgumentError, type Command } from 'commander';
import { ChartcoderError } from '../../engine/errors';
import type { EncounterInput } from '../../app/readEncounter';

export interface EncounterFlags {
  fhir?: string;
  id?: string;
  date?: string;
  json?: boolean;
}

export function inputOf(path: string | undefined, flags: EncounterFlags): EncounterInput {
  if (flags.fhir) {
    if (!flags.id) throw new ChartcoderError('bad-input', '--fhir needs --id <Encounter id>');
    return { kind: 'fhir', baseUrl: flags.fhir.replace(/\/$/, ''), id: flags.id };
  }
  if (!path) throw new ChartcoderError('bad-input', 'name a note (.txt, .html), a Bundle (.json), or --fhir URL --id ID');
  if (/\.json$/i.test(path)) return { kind: 'bundle', path, ...(flags.id ? { id: flags.id } : {}) };
  if (/\.(txt|html?)$/i.test(path)) return { kind: 'note', path, ...(flags.date ? { date: flags.date } : {}) };
  throw new ChartcoderError('bad-input', `${path}: expected a .txt or .html note or a .json Bundle`);
}

export function addEncounterInputOptions(command: Command): Command {
  return command
    .argument('[input]', 'a note (.txt, .html) or a FHIR Bundle (.json)')
    .option('--fhir <baseUrl>', 'read the encounter from this FHIR server (auth from settings)')
    .option('--id <id>', 'the Encounter id (required with --fhir; picks one in a Bundle)')
    .option('--date <yyyy-mm-dd>', 'date of service of a plain note (sets the code-set fiscal year)', (v) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new InvalidArgumentError('expected yyyy-mm-dd');
      return v;
    })
    .option('--json', 'machine-readable output');
}
