// ICD-10-CM Tabular List XML (CDC schema icd-10-cm-tabular-*.xsd): chapters → sections → nested <diag> with
// instructional notes. Notes stay on the node that carries them; inheritance is resolved by walking parents.
import type { NoteKind, SeventhCharacter, TabularNote } from '../engine/retrieve/knowledgeDoc';
import type { Loaded, LoadProblem } from './loadProblem';
import { elements, firstElement, parseXml, textOf, type XmlElement } from './xmlTree';

export interface TabularEntry {
  readonly code: string;
  readonly title: string;
  readonly parent?: string;
  readonly chapter: string;
  readonly section: string;
  readonly notes: TabularNote[];
  readonly seventhCharacters: SeventhCharacter[];
  readonly line: number;
}

export interface TabularList {
  readonly version: string;
  readonly chapters: { readonly number: string; readonly title: string }[];
  readonly entries: TabularEntry[];
}

const NOTE_KINDS: readonly NoteKind[] = [
  'inclusionTerm',
  'includes',
  'excludes1',
  'excludes2',
  'codeFirst',
  'useAdditionalCode',
  'codeAlso',
  'notes',
  'sevenChrNote',
];

function notesOf(node: XmlElement): TabularNote[] {
  return NOTE_KINDS.flatMap((kind) => elements(node, kind).flatMap((holder) => elements(holder, 'note').map((note) => ({ kind, text: textOf(note) }))));
}

function seventhCharactersOf(node: XmlElement): SeventhCharacter[] {
  return elements(node, 'sevenChrDef').flatMap((def) =>
    elements(def, 'extension').map((ext) => ({ char: ext.attributes['char'] ?? '', meaning: textOf(ext) })),
  );
}

interface Place {
  readonly chapter: string;
  readonly section: string;
  readonly parent?: string;
}

function collectDiag(diag: XmlElement, place: Place, out: TabularEntry[], problems: LoadProblem[], file: string): void {
  const code = textOf(firstElement(diag, 'name'));
  const title = textOf(firstElement(diag, 'desc'));
  if (!/^[A-Z][0-9A-Z]{2}(\.[0-9A-Z]{1,4})?$/.test(code) || !title) {
    problems.push({ file, line: diag.line, reason: `<diag> without a valid <name>/<desc> ("${code}")` });
    return;
  }
  out.push({
    code,
    title,
    chapter: place.chapter,
    section: place.section,
    notes: notesOf(diag),
    seventhCharacters: seventhCharactersOf(diag),
    line: diag.line,
    ...(place.parent ? { parent: place.parent } : {}),
  });
  for (const child of elements(diag, 'diag')) collectDiag(child, { ...place, parent: code }, out, problems, file);
}

export function parseTabular(text: string, file: string): Loaded<TabularEntry> & { readonly list?: TabularList } {
  const parsed = parseXml(text, file);
  const problems = [...parsed.problems];
  if (!parsed.root) return { items: [], problems };
  const entries: TabularEntry[] = [];
  const chapters = elements(parsed.root, 'chapter').map((chapter) => {
    const number = textOf(firstElement(chapter, 'name'));
    for (const section of elements(chapter, 'section')) {
      const sectionId = section.attributes['id'] ?? '';
      for (const diag of elements(section, 'diag')) collectDiag(diag, { chapter: number, section: sectionId }, entries, problems, file);
    }
    return { number, title: textOf(firstElement(chapter, 'desc')) };
  });
  const list = { version: textOf(firstElement(parsed.root, 'version')), chapters, entries };
  return { items: entries, problems, list };
}

/** The tabular node that governs a code: itself, or the nearest ancestor (7th-character codes are not listed). */
export function governingEntry(code: string, byCode: ReadonlyMap<string, TabularEntry>): TabularEntry | undefined {
  for (let candidate = code; candidate.length >= 3; candidate = candidate.slice(0, -1).replace(/\.$/, '')) {
    const entry = byCode.get(candidate);
    if (entry) return entry;
  }
  return undefined;
}

/** Notes that apply to a code: its own and every ancestor's (Excludes, Code first … are inherited down the tree). */
export function inheritedNotes(code: string, byCode: ReadonlyMap<string, TabularEntry>): { readonly from: string; readonly note: TabularNote }[] {
  const out: { from: string; note: TabularNote }[] = [];
  for (let entry = governingEntry(code, byCode); entry; entry = entry.parent ? byCode.get(entry.parent) : undefined) {
    for (const note of entry.notes) out.push({ from: entry.code, note });
  }
  return out;
}

/** 7th-character definitions are declared on an ancestor and apply to all codes below it. */
export function inheritedSeventhCharacters(code: string, byCode: ReadonlyMap<string, TabularEntry>): SeventhCharacter[] {
  for (let entry = governingEntry(code, byCode); entry; entry = entry.parent ? byCode.get(entry.parent) : undefined) {
    if (entry.seventhCharacters.length) return entry.seventhCharacters;
  }
  return [];
}
