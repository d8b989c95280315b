// Codes that take a 7th character (injuries, fractures, some obstetric and external-cause codes): the encounter,
// not the retrieval, decides the character. Candidates are offered as their 6-character stem; the character is
// chosen from the note (Official Guidelines I.C.19.a: active treatment → initial; I.C.19.c.1: a fracture not
// documented as open or closed is closed) and the placeholder X fills any gap (I.A.5).
import type { SeventhCharacter } from '../retrieve/knowledgeDoc';
import type { CodeCatalog } from './codeValidity';

const undotted = (code: string): string => code.replace('.', '');
const dotted = (raw: string): string => (raw.length > 3 ? `${raw.slice(0, 3)}.${raw.slice(3)}` : raw);

/** "S52.321A" → "S52.321"; "T81.4XXA" → "T81.4". Codes without a 7th character are their own stem. */
export function stemOf(code: string, seventh: readonly SeventhCharacter[] | undefined): string {
  const raw = undotted(code);
  if (!seventh?.length || raw.length !== 7) return code;
  return dotted(raw.slice(0, 6).replace(/X+$/, ''));
}

export interface EncounterPhase {
  readonly phase: 'initial' | 'subsequent' | 'sequela';
  readonly open: boolean;
  readonly healing?: 'delayed' | 'nonunion' | 'malunion' | 'routine';
  /** The words that decided it, for the finding's message. */
  readonly cues: readonly string[];
}

const CUES: readonly (readonly [RegExp, (p: Mutable) => void])[] = [
  [/\binitial (?:encounter|visit)\b/i, () => {}],
  [/\bclosed\b/i, () => {}],
  [
    /\b(sequela[e]?|late effects?)\b/i,
    (p) => {
      p.phase = 'sequela';
    },
  ],
  [
    /\b(subsequent encounter|follow[- ]?up visit|routine healing|cast (?:check|change|removal)|aftercare)\b/i,
    (p) => {
      p.phase = 'subsequent';
    },
  ],
  [
    /\bdelayed healing\b/i,
    (p) => {
      p.phase = 'subsequent';
      p.healing = 'delayed';
    },
  ],
  [
    /\bnon-?union\b/i,
    (p) => {
      p.phase = 'subsequent';
      p.healing = 'nonunion';
    },
  ],
  [
    /\bmal-?union\b/i,
    (p) => {
      p.phase = 'subsequent';
      p.healing = 'malunion';
    },
  ],
  [
    /\b(open|compound) fracture\b|\bfracture\b[^.]{0,40}\bopen\b/i,
    (p) => {
      p.open = true;
    },
  ],
];

type Mutable = { -readonly [K in keyof EncounterPhase]: EncounterPhase[K] } & { cues: string[] };

export function encounterPhaseOf(text: string): EncounterPhase {
  const phase: Mutable = { phase: 'initial', open: false, cues: [] };
  for (const [pattern, apply] of CUES) {
    const match = pattern.exec(text);
    if (match) {
      apply(phase);
      phase.cues.push(match[0]);
    }
  }
  return phase;
}

function fits(meaning: string, phase: EncounterPhase): number {
  const m = meaning.toLowerCase();
  if (phase.phase === 'sequela') return m.includes('sequela') ? 3 : 0;
  if (!m.includes(phase.phase)) return 0;
  let score = 1;
  if (m.includes('fracture')) {
    if (m.includes('open') === phase.open) score += 1;
    const healing = phase.healing ?? 'routine';
    if (m.includes(healing === 'routine' ? 'routine healing' : healing)) score += 1;
  }
  return score + (m.includes('type i or ii') || m.includes('nos') ? 0.5 : 0);
}

export interface Completion {
  readonly code: string;
  readonly char: string;
  readonly meaning: string;
}

/** The reportable code for a stem in this encounter, or undefined when no code of the set fits it (the stem then
 * stays a header that needs more specificity). */
export function completeSeventh(stem: string, seventh: readonly SeventhCharacter[], phase: EncounterPhase, catalog: CodeCatalog): Completion | undefined {
  const base = undotted(stem).padEnd(6, 'X');
  const ranked = seventh.filter((s) => fits(s.meaning, phase) > 0).sort((a, b) => fits(b.meaning, phase) - fits(a.meaning, phase));
  for (const option of ranked) {
    const code = dotted(base + option.char);
    if (catalog.lookup(code)?.billable) return { code, char: option.char, meaning: option.meaning };
  }
  return undefined;
}
