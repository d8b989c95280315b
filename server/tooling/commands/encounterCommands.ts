// `chartcoder encounter <note.txt | bundle.json> | --fhir URL --id ID`: the assembled encounter — FY, setting,
// patient, notes — and each note's sections and mentions with assertion context and character offsets.
import type { Command } from 'commander';
import { processEncounter, type ProcessedEncounter } from '../../engine/encounter/processEncounter';
import { readEncounter } from '../../app/readEncounter';
import { addEncounterInputOptions, inputOf, type EncounterFlags } from './encounterInput';
import { clinicalLexicon } from '../../knowledge/lexicon';
import { readReleaseFor } from '../../knowledge/release';
import type { ChartcoderSettings } from '../../protocol';
import { findProjectRoot } from '../../app/projectRoot';

function format(result: ProcessedEncounter): string {
  const { view } = result;
  const e = view.encounter;
  const lines = [
    `${e.reference} · ${e.setting}${e.period?.start ? ` · ${e.period.start}${e.period.end ? ` → ${e.period.end}` : ''}` : ''} · FY${e.fiscalYear ?? '?'}` +
      (view.patient ? ` · ${view.patient.reference} ${view.patient.sex ?? ''} ${view.patient.ageAtService ?? '?'}y` : ''),
    `  ${view.notes.length} notes, ${view.conditions.length} coded conditions, ${view.procedures.length} coded ` +
      `procedures (hints), ${view.observations.length} observations, ${view.medications.length} medications`,
    ...view.warnings.map((w) => `  warning: ${w}`),
  ];
  for (const note of result.notes) {
    lines.push(
      `${note.note.id} (${note.note.contentType}${note.note.title ? `, ${note.note.title}` : ''}): ${note.processed.sections.map((s) => s.name).join(', ')}`,
    );
    note.processed.mentions.forEach((m, i) => {
      const source = note.mentionSources[i]!;
      const context = m.assertions.map((a) => `${a.category} ("${a.trigger.text}")`).join(', ') || 'affirmed';
      const modifiers = Object.entries(m.modifiers)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      lines.push(`  [${source.start}, ${source.end}) ${m.kind} "${m.text}" · ${m.section} · ${context}${modifiers ? ` · ${modifiers}` : ''}`);
    });
  }
  return lines.join('\n');
}

export function registerEncounterCommands(program: Command, settings: () => ChartcoderSettings, exit: (code: number) => void): void {
  addEncounterInputOptions(program.command('encounter'))
    .description('assemble an encounter: FY, notes, sections, mentions with context and offsets')
    .action(async (path: string | undefined, flags: EncounterFlags) => {
      const s = settings();
      const view = await readEncounter(s, inputOf(path, flags));
      const lexicon = clinicalLexicon(readReleaseFor({ fy: s.knowledge.fy, projectRoot: findProjectRoot(), cacheDir: s.cacheDir }));
      const result = processEncounter(view, lexicon);
      process.stdout.write((flags.json ? JSON.stringify(result, null, 2) : format(result)) + '\n');
      exit(0);
    });
}
