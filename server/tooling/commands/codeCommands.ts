// `chartcoder code <note | bundle | --fhir URL --id ID> [--mode …] [--json]`: suggested codes with their evidence
// (quoted, with the note's character offsets), guidance, rule findings and provenance. Each suggestion is shown on
// stderr as it is verified; the final, rule-checked list goes to stdout.
import type { Command } from 'commander';
import { readEncounter } from '../../app/readEncounter';
import { finalResult } from '../../engine/suggest/suggestEncounter';
import { SUGGEST_MODES, type Suggestion, type SuggestMode, type SuggestResult } from '../../engine/suggest/suggestion';
import type { ChartcoderSettings } from '../../protocol';
import { findProjectRoot } from '../../app/projectRoot';
import { openSuggester } from '../../app/openSuggester';
import { addEncounterInputOptions, inputOf, type EncounterFlags } from './encounterInput';
import { oneOf } from './optionParsers';
import type { BackendKind } from '../../indexing/buildIndex';

interface CodeFlags extends EncounterFlags {
  mode?: SuggestMode;
  backend?: BackendKind;
}

const percent = (x: number) => `${Math.round(x * 100)}%`;

function formatSuggestion(s: Suggestion): string[] {
  const lines = [`${s.code.padEnd(9)} ${s.display}  [${s.kind}, ${percent(s.confidence)} ${s.confidenceBasis}, evidence ${s.evidenceState}]`];
  for (const e of s.evidence) lines.push(`    evidence ${e.sourceId} [${e.start}, ${e.end}) "${e.text}"${e.origin === 'model-quote' ? ' (model quote)' : ''}`);
  for (const f of s.findings) lines.push(`    ${f.severity === 'info' ? 'i' : '!'} ${f.rule}: ${f.message} — ${f.source}`);
  if (s.guidance.length)
    lines.push(
      `    guidance ${s.guidance
        .slice(0, 4)
        .map((g) => g.title)
        .join(' · ')}`,
    );
  if (s.alternatives.length) lines.push(`    alternatives ${s.alternatives.map((a) => a.code).join(', ')}`);
  if (s.rationale) lines.push(`    rationale ${s.rationale}`);
  return lines;
}

export function formatResult(result: SuggestResult): string {
  const head = `${result.encounter} · mode ${result.mode} · FY${result.fiscalYear} · ${result.suggestions.length} suggestions from ${result.stats.codedMentions} coded mentions (${result.stats.mentions} found, ${result.stats.skippedByContext} negated/hypothetical/family/historical) · ${result.stats.tookMs} ms`;
  const prov = result.suggestions[0]?.provenance;
  return [
    head,
    ...(prov
      ? [
          `provenance: ${[prov.codingModel && `coding model ${prov.codingModel}`, prov.model, prov.adapterVersion && `adapter ${prov.adapterVersion}`, prov.indexVersion && `index ${prov.indexVersion}`, prov.promptTemplateHash && `prompt ${prov.promptTemplateHash}`].filter(Boolean).join(' · ')}`,
        ]
      : []),
    ...result.degradations.map((d) => `degraded: ${d}`),
    ...result.suggestions.flatMap(formatSuggestion),
  ].join('\n');
}

export function registerCodeCommands(program: Command, settings: () => ChartcoderSettings, exit: (code: number) => void): void {
  addEncounterInputOptions(program.command('code'))
    .option('--mode <mode>', `${SUGGEST_MODES.join(' | ')} (default: retrieval, the best arm measured on CodiEsp dev)`, oneOf(SUGGEST_MODES, 'a mode'))
    .option('--backend <backend>', 'es | embedded (default: es when configured)', oneOf<BackendKind>(['es', 'embedded'], 'a backend'))
    .description('suggest codes for an encounter, each with evidence offsets, guidance, rule findings and provenance')
    .action(async (path: string | undefined, flags: CodeFlags) => {
      const s = settings();
      const input = inputOf(path, flags);
      const view = await readEncounter(s, input);
      const suggester = await openSuggester(s, { projectRoot: findProjectRoot(), ...(flags.backend ? { backend: flags.backend } : {}) });
      const result = await finalResult(suggester.suggest(view, flags.mode ? { mode: flags.mode } : {}), (s) => {
        if (!flags.json) process.stderr.write(`  · ${s.code} ${s.display}\n`);
      });
      process.stdout.write((flags.json ? JSON.stringify(result, null, 2) : formatResult(result)) + '\n');
      exit(0);
    });
}
