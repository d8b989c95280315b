// The Index/title dictionary of a code book and release, as training and inference both build it, and a trained
// coding model loaded with it.
import { knowledgeEntries } from '../engine/coder/knowledgeEntries';
import type { DictionaryEntry } from '../engine/coder/dictionary';
import type { CodeBook } from '../engine/suggest/codeBook';
import type { IndexEntry } from '../knowledge/indexXml';
import { loadSystem, type LoadedSystem } from '../engine/coder/codeNote';
import type { CoderModel, CoderSystem, SystemModel } from '../engine/coder/model';
import type { LearnedCoder } from '../engine/suggest/learnedSuggestions';

export function icd10cmKnowledge(book: CodeBook, index: readonly IndexEntry[]): DictionaryEntry[] {
  const catalog = book.catalog('icd10cm');
  const codes = catalog.billableUnder('').map((e) => ({ code: e.code, title: e.title, notes: book.doc('icd10cm', e.code)?.notes ?? [] }));
  return knowledgeEntries(index, codes, catalog);
}

/** A coding model ready to code: its systems loaded with the Index/title dictionary of this code book. */
export function loadLearnedCoder(model: CoderModel, book: CodeBook, knowledge: readonly DictionaryEntry[]): LearnedCoder {
  const systems: Partial<Record<CoderSystem, LoadedSystem>> = {};
  for (const [system, trained] of Object.entries(model.systems) as [CoderSystem, SystemModel][]) {
    const catalog = book.catalog(system);
    systems[system] = loadSystem(trained, system === 'icd10cm' ? knowledge : [], model.documents, (code) => catalog.lookup(code)?.billable ?? false);
  }
  return { version: model.version, systems };
}
