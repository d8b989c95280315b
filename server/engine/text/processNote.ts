// One note through the text pipeline: sections → sentences → context triggers → mentions with their assertions.
import { assertionsFor, findTriggers, type Modifier } from './context';
import { extractMentions, type Mention } from './mentions';
import { normalizeClinicalText, type Expansion } from './normalize';
import { detectSections, sectionAt, type Section } from './sections';
import { splitSentences } from './sentences';
import type { Span } from './span';

export interface ContextualMention extends Mention {
  readonly section: string;
  readonly sentence: Span;
  readonly assertions: readonly Modifier[];
  readonly expansions: readonly Expansion[];
}

export interface ProcessedNote {
  readonly sections: readonly Section[];
  readonly sentences: readonly Span[];
  readonly mentions: readonly ContextualMention[];
}

export function processNote(text: string, lexicon: ReadonlySet<string>): ProcessedNote {
  const sections = detectSections(text);
  const sentences = splitSentences(text);
  const mentions = sentences.flatMap((sentence) => {
    const triggers = findTriggers(text, sentence);
    const section = sectionAt(sections, sentence.start);
    return extractMentions({ text, sentence, lexicon, triggers, excluded: sections.map((s) => s.header) }).map((mention) => ({
      ...mention,
      section: section?.name ?? 'preamble',
      sentence,
      assertions: assertionsFor({ text, sentence, target: mention, triggers, ...(section ? { section } : {}) }),
      expansions: normalizeClinicalText(mention.text).expansions,
    }));
  });
  return { sections, sentences, mentions };
}
