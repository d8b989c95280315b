// Re-ranks candidates by what the note documents: a code whose title says more than the note (an undocumented
// "transverse", "with coma") is worse than the less specific code, and a code that leaves documented words out is
// worse than one that names them (Official Guidelines I.B.18: unspecified only when the note says no more). The
// fused retrieval score breaks ties. Words in parentheses are nonessential modifiers and do not count.
import { normalizeClinicalText } from '../text/normalize';
import type { Candidate } from './candidates';

const NEUTRAL = new Set([
  'unspecifi',
  'other',
  'specifi',
  'nos',
  'elsewher',
  'classifi',
  'encount',
  'initi',
  'subsequ',
  'sequela',
  'type',
  'site',
  'part',
  'without',
]);

const contentTokens = (text: string): Set<string> =>
  new Set(normalizeClinicalText(text.replace(/\([^)]*\)/g, ' ')).tokens.filter((t) => !NEUTRAL.has(t) && !/^\d+$/.test(t)));

export interface RankedCandidate extends Candidate {
  /** Share of the title's words the note documents, share of the mention's words the code names, combined. */
  readonly documented: number;
  readonly score: number;
}

export interface DocumentedContext {
  readonly mention: string;
  /** The sentence (or window) the mention sits in. */
  readonly context: string;
}

export function rankByDocumentation(candidates: readonly Candidate[], input: DocumentedContext): RankedCandidate[] {
  const mention = contentTokens(input.mention);
  const context = new Set([...contentTokens(input.context), ...mention]);
  return candidates
    .map((candidate) => {
      const title = contentTokens(candidate.title);
      const named = new Set([...title, ...candidate.sources.flatMap((s) => [...contentTokens(s.via.split('→')[0] ?? '')])]);
      const precision = title.size ? [...title].filter((t) => context.has(t)).length / title.size : 0;
      const coverage = mention.size ? [...mention].filter((t) => named.has(t)).length / mention.size : 0;
      const documented = 0.65 * precision + 0.35 * coverage;
      return { ...candidate, documented, score: documented + candidate.bestScore };
    })
    .sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
}
