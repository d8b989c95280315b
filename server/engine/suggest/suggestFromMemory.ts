// ft with one call per encounter: the tuned model writes a code for each of the note's sentences with codable
// mentions, from memory (codeFromMemory), and each code is verified against the fiscal year's code set before it is
// a suggestion (unknown codes dropped and counted, headers flagged), its evidence the sentence's mention; then the
// cross-code rules. No retrieval: nothing is coded when the model cannot answer, and the result says so.
import { unreadPassages, type ProcessedEncounter } from '../encounter/processEncounter';
import { selectMentions, windowAround } from './codableMentions';
import { codeFromMemory, FREE_SENTENCES, memorySites, systemKeyOf, type MemoryCode, type MemoryOutcome } from './codeFromMemory';
import { callStats, fiscalYearNote, modelDeadline, patientOf } from './encounterRun';
import { applyRules, sequence } from './rules/applyRules';
import type { SuggestDeps, SuggestEvent, SuggestOptions } from './suggestEncounter';
import type { Suggestion, SuggestResult } from './suggestion';
import { toSuggestion } from './toSuggestion';
import type { MentionModifiers } from '../text/mentions';

function suggestionOf(encounter: ProcessedEncounter, deps: SuggestDeps, options: SuggestOptions, written: MemoryCode, model: string | undefined) {
  const { site, code, probability } = written;
  const note = encounter.notes[site.noteIndex]!;
  const system = systemKeyOf(site.sentence.system);
  return toSuggestion({
    choice: {
      state: 'chosen',
      system,
      code,
      rationale: `Written by the tuned model from memory for the sentence (no retrieval).`,
      confidence: probability ?? 0.5,
      basis: probability !== undefined ? 'model-logprob' : 'unavailable',
      ...(model ? { model } : {}),
      modelMs: 0,
    },
    mention: site.mention,
    ranked: [],
    guidelineHits: [],
    encounter,
    book: deps.book,
    window: windowAround(note.text, site.mention.occurrences[0]!.mention.sentence),
    provenance: {
      mode: options.mode,
      ...(model ? { model } : {}),
      ...(deps.adapterVersion && model ? { adapterVersion: deps.adapterVersion } : {}),
      codeSetFy: deps.book.fy,
      createdAt: deps.clock.now().toISOString(),
    },
  });
}

async function askModel(
  deps: SuggestDeps,
  options: SuggestOptions,
  sites: Parameters<typeof codeFromMemory>[0],
  say: (d: string) => void,
): Promise<MemoryOutcome> {
  if (!deps.llm) {
    if (sites.length) say('model: no tuned model configured; nothing coded');
    return { codes: [] };
  }
  const deadline = modelDeadline(options);
  const outcome = await codeFromMemory(sites, deps.llm, deadline.signal).finally(deadline.done);
  const failure = outcome.call?.failure;
  if (failure) say(`model: ${failure}; ${outcome.codes.length || outcome.model ? 'those sentences' : `its ${sites.length} sentences`} left uncoded`);
  return outcome;
}

export async function* suggestFromMemory(encounter: ProcessedEncounter, deps: SuggestDeps, options: SuggestOptions): AsyncGenerator<SuggestEvent> {
  const started = deps.clock.now().getTime();
  const view = encounter.view;
  const degradations = new Set([...(options.degradations ?? []), ...unreadPassages(encounter)]);
  const say = (d: string) => degradations.add(d);
  const fyNote = fiscalYearNote(view, deps.book);
  if (fyNote) say(fyNote);
  const selection = selectMentions(encounter);
  const { sites, withMentions } = memorySites(encounter, selection.codable);
  if (withMentions > sites.length)
    say(`${withMentions - sites.length} of ${withMentions} sentences with codable mentions not asked (one call asks at most ${FREE_SENTENCES})`);
  const outcome = await askModel(deps, options, sites, say);
  const suggestions: Suggestion[] = [];
  const modifiers: MentionModifiers[] = [];
  let invalidCodesDropped = 0;
  for (const written of outcome.codes) {
    const verified = suggestionOf(encounter, deps, options, written, outcome.model);
    if (verified.state === 'dropped') {
      invalidCodesDropped++;
      continue;
    }
    suggestions.push(verified.suggestion);
    modifiers.push(written.site.mention.modifiers);
    yield { type: 'suggestion', suggestion: verified.suggestion };
  }
  const result: SuggestResult = {
    encounter: view.encounter.reference,
    mode: options.mode,
    fiscalYear: deps.book.fy,
    suggestions: sequence(applyRules({ suggestions, modifiers, book: deps.book, patient: patientOf(view) })),
    degradations: [...degradations],
    stats: {
      mentions: selection.total,
      codedMentions: suggestions.length,
      skippedByContext: selection.skippedByContext,
      ...callStats(outcome.call),
      invalidCodesDropped,
      quotesNotFound: 0,
      tookMs: deps.clock.now().getTime() - started,
    },
    ...(options.collectCandidates ? { candidates: [] } : {}),
  };
  yield { type: 'result', result };
}
