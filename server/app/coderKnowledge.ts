// The code set's own dictionary of a code book and release (Index and External Cause Index paths, titles, inclusion
// terms, the Table of Neoplasms), as training and inference both build it, and a trained coding model loaded with it.
import { knowledgeEntries, NO_KNOWLEDGE, type CoderKnowledge } from '../engine/coder/knowledgeEntries';
import { morphologyClasses, neoplasmEntries } from '../engine/coder/neoplasmEntries';
import type { NeoplasmRow } from '../engine/coder/seeReferences';
import type { CodeBook } from '../engine/suggest/codeBook';
import type { IndexEntry } from '../knowledge/indexXml';
import { externalCauseIndexOf, indexEntriesOf, neoplasmTableOf } from '../knowledge/lexicon';
import type { KnowledgeRelease } from '../knowledge/release';
import { loadSystem, type LoadedSystem } from '../engine/coder/codeNote';
import type { CoderModel, CoderSystem, SystemModel } from '../engine/coder/model';
import type { LearnedCoder } from '../engine/suggest/learnedSuggestions';

/** The code-set dictionary of a release: its Alphabetic Index (read here unless the caller has it already), its
 * Index to External Causes and its Table of Neoplasms. */
export function releaseKnowledge(book: CodeBook, release: KnowledgeRelease, index: readonly IndexEntry[] = indexEntriesOf(release)): CoderKnowledge {
  return icd10cmKnowledge(book, [...index, ...externalCauseIndexOf(release)], neoplasmTableOf(release));
}

export function icd10cmKnowledge(book: CodeBook, index: readonly IndexEntry[], neoplasmTable: readonly NeoplasmRow[] = []): CoderKnowledge {
  const catalog = book.catalog('icd10cm');
  const codes = catalog.billableUnder('').map((e) => ({ code: e.code, title: e.title, notes: book.doc('icd10cm', e.code)?.notes ?? [] }));
  return {
    entries: [...knowledgeEntries(index, codes, catalog, neoplasmTable), ...neoplasmEntries(neoplasmTable, catalog)],
    termClasses: neoplasmTable.length ? morphologyClasses(index) : new Map(),
  };
}

/** A coding model ready to code: its systems loaded with the code set's dictionary of this code book. */
export function loadLearnedCoder(model: CoderModel, book: CodeBook, knowledge: CoderKnowledge): LearnedCoder {
  const systems: Partial<Record<CoderSystem, LoadedSystem>> = {};
  for (const [system, trained] of Object.entries(model.systems) as [CoderSystem, SystemModel][]) {
    const catalog = book.catalog(system);
    systems[system] = loadSystem(trained, system === 'icd10cm' ? knowledge : NO_KNOWLEDGE, model.documents, (code) => catalog.lookup(code)?.billable ?? false);
  }
  return { version: model.version, systems };
}
