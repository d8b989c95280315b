// `chartcoder encounter <note.txt>`: a plain-text note through the text pipeline — sections, sentences, mentions with
// assertion context and offsets. (FHIR encounters and Bundle files are the rest of the encounter issue.)
import type { Command } from 'commander';
import { readFileSync, statSync } from 'node:fs';
import { ChartcoderError } from '../errors';
import { processNote, type ProcessedNote } from '../engine/text/processNote';
import { clinicalLexicon } from '../knowledge/lexicon';
import { readRelease, releaseManifestPath } from '../knowledge/release';
import type { ChartcoderSettings } from '../protocol';
import { findProjectRoot } from '../provision/scripts';

const MAX_NOTE_BYTES = 5 * 1024 * 1024;

function readNote(path: string): string {
  if (!/\.txt$/i.test(path)) throw new ChartcoderError('bad-input', `${path}: only plain-text notes (.txt) are read so far; FHIR encounters and Bundle files are not yet supported`);
  const size = statSync(path, { throwIfNoEntry: false })?.size;
  if (size === undefined) throw new ChartcoderError('bad-input', `${path}: no such file`);
  if (size > MAX_NOTE_BYTES) throw new ChartcoderError('bad-input', `${path}: ${size} bytes is over the ${MAX_NOTE_BYTES}-byte note limit`);
  const bytes = readFileSync(path);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (text.includes('\uFFFD')) process.stderr.write(`chartcoder: warning: ${path} is not valid UTF-8; undecodable bytes were replaced (offsets count the replacements)\n`);
  return text;
}

function formatNote(path: string, text: string, note: ProcessedNote): string {
  const lines = [`${path}: ${text.length} characters, ${note.sections.length} sections, ${note.sentences.length} sentences, ${note.mentions.length} mentions`];
  for (const section of note.sections) lines.push(`  section ${section.name} [${section.start}, ${section.end})`);
  for (const m of note.mentions) {
    const context = m.assertions.map((a) => `${a.category} ("${a.trigger.text}" at ${a.trigger.start})`).join(', ') || 'affirmed';
    const modifiers = Object.entries(m.modifiers).map(([k, v]) => `${k}=${v}`).join(' ');
    lines.push(`  [${m.start}, ${m.end}) ${m.kind} "${m.text}" · ${m.section} · ${context}${modifiers ? ` · ${modifiers}` : ''}${m.expansions.length ? ` · ${m.expansions.map((e) => `${e.abbreviation}=${e.expansion}`).join(', ')}` : ''}`);
  }
  return lines.join('\n');
}

export function registerEncounterCommands(program: Command, settings: () => ChartcoderSettings, exit: (code: number) => void): void {
  program.command('encounter').argument('<note>', 'a plain-text note (.txt)')
    .option('--json', 'machine-readable output')
    .description('sections, sentences and mentions (with assertion context and character offsets) of a note')
    .action((path: string, o: { json?: boolean }) => {
      const s = settings();
      const text = readNote(path);
      const lexicon = clinicalLexicon(readRelease(releaseManifestPath({ fy: s.knowledge.fy, projectRoot: findProjectRoot(), cacheDir: s.cacheDir })));
      const note = processNote(text, lexicon);
      process.stdout.write((o.json ? JSON.stringify({ source: path, text, ...note }, null, 2) : formatNote(path, text, note)) + '\n');
      exit(0);
    });
}
