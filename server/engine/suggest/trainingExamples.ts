// Training examples from a labelled encounter, made exactly as inference makes its prompts: the same codable
// mentions, the same retrieval and offered candidates, the same template (promptFor). The target is the JSON the
// schema asks for — a gold code among the candidates, the mention's own words as the evidence quote. A mention
// whose offered candidates hold no gold code but whose wider retrieval surfaced one becomes a clearly marked
// "gold-added" example (that code appended to the offer); mentions with no gold code in reach are counted, not used.
// When the corpus locates each gold code's evidence (CodiEsp-X, carried to the English lines), a mention is labelled
// only with gold codes whose evidence is on its own sentence's line: the code is then known to rest on those words.
// A gold "unspecified" code is not taught when the offer ranks a more specific code of the same category above it
// as better documented by the note: Official Guidelines I.B.18 says to code the specificity documented, and such
// labels (CodiEsp codes unspecified often) taught the first adapter to prefer "unspecified" against the note.
import type { ProcessedEncounter } from '../encounter/processEncounter';
import { promptFor } from './chooseForMention';
import { selectMentions } from './codableMentions';
import type { RankedCandidate } from './documentedRank';
import { locateEvidence } from './evidence';
import { embedAll, keyNotes, promptGuidance, retrieve, siteOf, type RetrievalDeps } from './mentionCandidates';
import type { ModelAnswer } from './prompt';

export type ExampleVariant = 'retrieved' | 'gold-added';

export interface TrainingExample {
  readonly id: string;
  readonly docId: string;
  readonly variant: ExampleVariant;
  readonly system: string;
  readonly user: string;
  readonly schema: Record<string, unknown>;
  readonly target: ModelAnswer;
  /** The note (SourceNote id) the quote is in, and where (verified: the note's characters there are the quote). */
  readonly noteId: string;
  readonly evidence: { readonly start: number; readonly end: number };
}

export interface ExampleCounts {
  mentions: number;
  retrieved: number;
  goldAdded: number;
  noGoldInReach: number;
  evidenceNotFound: number;
  /** Examples whose target code's gold evidence is on the mention's line (only when the corpus locates evidence). */
  evidenceAligned: number;
  /** Mentions whose offer held a gold code of the document whose evidence is on another line: not used. */
  goldElsewhere: number;
  /** Gold "unspecified" codes ranked below a better documented specific code of the same category: not used. */
  againstSpecificity: number;
}

export const noExamples = (): ExampleCounts => ({
  mentions: 0,
  retrieved: 0,
  goldAdded: 0,
  noGoldInReach: 0,
  evidenceNotFound: 0,
  evidenceAligned: 0,
  goldElsewhere: 0,
  againstSpecificity: 0,
});

export interface ExampleOptions {
  readonly docId: string;
  /** Gold codes of the document, in the form candidates are compared (7th-character codes as stems). */
  readonly gold: ReadonlySet<string>;
  readonly comparable: (code: string) => string;
  /** Gold codes (comparable form) whose evidence is on the line holding this note offset, when the corpus says. */
  readonly goldAt?: (offset: number) => ReadonlySet<string>;
  readonly maxMentions?: number;
}

function labelled(
  ranked: readonly RankedCandidate[],
  surfaced: readonly RankedCandidate[],
  options: { gold: ReadonlySet<string>; comparable: (code: string) => string },
): { offer: RankedCandidate[]; code: string; variant: ExampleVariant } | undefined {
  const isGold = (c: RankedCandidate) => options.gold.has(options.comparable(c.code));
  const offered = ranked.find(isGold);
  if (offered) return { offer: [...ranked], code: offered.code, variant: 'retrieved' };
  const reached = surfaced.find(isGold);
  if (reached && ranked.length) return { offer: [...ranked, reached], code: reached.code, variant: 'gold-added' };
  return undefined;
}

const isUnspecified = (title: string) => /\bunspecified\b/i.test(title);

/** The target is an "unspecified" code and the offer ranks a specific code of its category higher on documentation. */
export function againstSpecificity(offer: readonly RankedCandidate[], code: string): boolean {
  const at = offer.findIndex((c) => c.code === code);
  const target = offer[at];
  if (!target || !isUnspecified(target.title)) return false;
  return offer.slice(0, at).some((c) => c.code.slice(0, 3) === code.slice(0, 3) && !isUnspecified(c.title) && c.documented > target.documented);
}

export async function trainingExamples(
  encounter: ProcessedEncounter,
  deps: RetrievalDeps,
  options: ExampleOptions,
  counts: ExampleCounts,
): Promise<TrainingExample[]> {
  const mentions = selectMentions(encounter).codable.slice(0, options.maxMentions ?? 60);
  const vectors = await embedAll(deps, mentions);
  const examples: TrainingExample[] = [];
  for (const [index, mention] of mentions.entries()) {
    counts.mentions++;
    const site = siteOf(encounter, mention);
    const { ranked, surfaced, guidelines } = await retrieve(deps, mention, site.sentenceText, { mode: 'rag' }, () => {}, vectors);
    const here = options.goldAt?.(site.sentence.start);
    const label = labelled(ranked, surfaced, { gold: here ?? options.gold, comparable: options.comparable });
    if (!label) {
      if (here && labelled(ranked, surfaced, options)) counts.goldElsewhere++;
      else counts.noGoldInReach++;
      continue;
    }
    const found = locateEvidence(mention.text, site.text, site.sentence.start);
    if (!found) {
      counts.evidenceNotFound++;
      continue;
    }
    const prompt = promptFor({
      mode: 'rag',
      mention,
      ranked: label.offer,
      setting: encounter.view.encounter.setting,
      fiscalYear: deps.book.fy,
      window: site.window,
      guidance: promptGuidance(guidelines),
      notesOf: (c) => keyNotes(deps.book, c.system, c.code),
    });
    if (againstSpecificity(label.offer, label.code)) {
      counts.againstSpecificity++;
      continue;
    }
    counts[label.variant === 'retrieved' ? 'retrieved' : 'goldAdded']++;
    if (here) counts.evidenceAligned++;
    examples.push({
      id: `${options.docId}#${index}`,
      docId: options.docId,
      variant: label.variant,
      system: prompt.system,
      user: prompt.user,
      schema: prompt.schema,
      target: { code: label.code, quote: found.text, citation: 'none', rationale: `The note documents "${found.text}".` },
      noteId: encounter.view.notes[mention.occurrences[0]!.noteIndex]!.id,
      evidence: { start: found.start, end: found.end },
    });
  }
  return examples;
}

/** A row is usable only if its quote is in its note at the stated range and its code is one the schema allows. */
export function checkExample(example: TrainingExample, noteText: string): string | undefined {
  if (noteText.slice(example.evidence.start, example.evidence.end) !== example.target.quote)
    return `${example.id}: the evidence quote is not in the note at [${example.evidence.start}, ${example.evidence.end})`;
  const allowed = (example.schema['properties'] as { code?: { enum?: string[] } } | undefined)?.code?.enum;
  if (allowed && !allowed.includes(example.target.code)) return `${example.id}: the target code ${example.target.code} is not among the candidates`;
  return undefined;
}
