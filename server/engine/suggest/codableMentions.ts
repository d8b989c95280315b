// Which mentions get coded, and how each is looked up. Negated, hypothetical, conditional, family and historical
// mentions yield no diagnosis code; an uncertain ("possible") diagnosis is coded only for inpatient stays (Official
// Guidelines II.H / III.C vs IV.H). The same phrase mentioned twice is looked up once and keeps both places as
// evidence. Procedures go to ICD-10-PCS for inpatient stays and to HCPCS/CPT elsewhere.
import type { EncounterSetting } from '../../../fhir';
import type { ProcessedEncounter } from '../encounter/processEncounter';
import type { CodeSystemKey } from '../retrieve/knowledgeDoc';
import type { AssertionCategory } from '../text/context';
import type { MentionModifiers } from '../text/mentions';
import { normalizeClinicalText } from '../text/normalize';
import type { ContextualMention } from '../text/processNote';
import type { Span } from '../text/span';
import type { SuggestionKind } from './suggestion';

export interface MentionOccurrence {
  readonly noteIndex: number;
  readonly mention: ContextualMention;
  /** The mention's range in the original note (HTML offsets for an HTML note). */
  readonly source: Span & { readonly sourceId: string };
}

export interface CodableMention {
  readonly text: string;
  /** The phrase without laterality and displacement words, as the Alphabetic Index words it; absent when equal. */
  readonly core?: string;
  readonly kind: SuggestionKind;
  readonly systems: readonly CodeSystemKey[];
  readonly modifiers: MentionModifiers;
  readonly context: string;
  readonly occurrences: readonly MentionOccurrence[];
}

export interface MentionSelection {
  readonly codable: readonly CodableMention[];
  readonly total: number;
  readonly skippedByContext: number;
}

/** Assertions under which a mention yields no diagnosis code. */
export const NOT_CODED: ReadonlySet<AssertionCategory> = new Set(['negated', 'hypothetical', 'conditional', 'family', 'historical']);

function codedHere(assertions: readonly AssertionCategory[], setting: EncounterSetting): boolean {
  if (assertions.some((a) => NOT_CODED.has(a))) return false;
  return !assertions.includes('possible') || setting === 'inpatient';
}

export function procedureSystems(setting: EncounterSetting): CodeSystemKey[] {
  return setting === 'inpatient' || setting === 'other' ? ['icd10pcs'] : ['hcpcs', 'cpt'];
}

export function selectMentions(encounter: ProcessedEncounter): MentionSelection {
  const setting = encounter.view.encounter.setting;
  const byKey = new Map<string, { first: ContextualMention; kind: SuggestionKind; occurrences: MentionOccurrence[] }>();
  let total = 0;
  let skipped = 0;
  encounter.notes.forEach((note, noteIndex) => {
    note.processed.mentions.forEach((mention, i) => {
      total++;
      const categories = mention.assertions.map((a) => a.category);
      if (!codedHere(categories, setting)) {
        skipped++;
        return;
      }
      const kind: SuggestionKind = mention.kind === 'procedure' ? 'procedure' : 'diagnosis';
      const key = `${kind}|${normalizeClinicalText(mention.text).tokens.join(' ')}`;
      const group = byKey.get(key) ?? { first: mention, kind, occurrences: [] };
      group.occurrences.push({ noteIndex, mention, source: note.mentionSources[i]! });
      byKey.set(key, group);
    });
  });
  const codable = [...byKey.values()].map(({ first, kind, occurrences }) => ({
    text: first.text,
    ...coreOf(first.text),
    kind,
    systems: kind === 'procedure' ? procedureSystems(setting) : ['icd10cm' as const],
    modifiers: first.modifiers,
    context: first.assertions.map((a) => a.category).join(', ') || 'affirmed',
    occurrences,
  }));
  return { codable, total, skippedByContext: skipped };
}

const INDEX_FREE_WORDS = /\b(left|right|bilateral|displaced|nondisplaced|non-displaced)\b/gi;

function coreOf(text: string): { core?: string } {
  const core = text
    .replace(INDEX_FREE_WORDS, ' ')
    .replace(/\b(of|the)\s+(?=of\b|the\b)/gi, '')
    .replace(/\s+/g, ' ')
    .trim();
  return core && core !== text && /[a-z]/i.test(core) ? { core } : {};
}

/** The note text around a mention's sentence, at most `radius` characters each side, cut at line starts. */
export function windowAround(text: string, sentence: Span, radius = 240): string {
  let start = Math.max(0, sentence.start - radius);
  const lineStart = text.lastIndexOf('\n', sentence.start - 1);
  if (lineStart >= start) start = lineStart + 1;
  const end = Math.min(text.length, sentence.end + radius);
  return text.slice(start, end).trim();
}
