// Clinical head words for mention extraction: the Alphabetic Index's main terms ("Failure, failed" → failur, fail),
// stemmed as the normalizer stems, minus words too generic to head a mention and minus the main terms the Index
// itself sends elsewhere with "see condition" (Kidney, Foot, Ureter: anatomy, not a condition).
import { stemmer } from 'stemmer';
import EXCLUSIONS from './lexiconExclusions.json';
import { parseIndexCsv } from './indexCsv';
import { parseIndexXml, type IndexEntry } from './indexXml';
import { readSourceText } from './readSource';
import { fileOf, type KnowledgeRelease } from './release';

const TOO_GENERIC = new Set(EXCLUSIONS.words.map((w) => stemmer(w)));

const words = (term: string): string[] =>
  term
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length >= 3);

/** The release's Alphabetic Index entries (CSV or XML), or none when the release has no Index. */
export function indexEntriesOf(release: KnowledgeRelease): IndexEntry[] {
  const source = release.manifest.icd10cm.index;
  if (!source) return [];
  const file = fileOf(source);
  const text = readSourceText(release.resolve(file));
  return /\.csv(\.gz)?$/i.test(file) ? parseIndexCsv(text, file).items : parseIndexXml(text, file).items;
}

export function clinicalLexicon(release: KnowledgeRelease, entries: readonly IndexEntry[] = indexEntriesOf(release)): Set<string> {
  const mainTerms = entries.filter((e) => e.path.length === 1);
  const anatomy = new Set(
    mainTerms
      .filter((e) => e.see?.toLowerCase() === 'condition')
      .flatMap((e) => words(e.path[0]!))
      .map((w) => stemmer(w)),
  );
  const lexicon = new Set<string>();
  for (const entry of mainTerms) {
    for (const stem of words(entry.path[0]!).map((w) => stemmer(w))) {
      if (!TOO_GENERIC.has(stem) && !anatomy.has(stem)) lexicon.add(stem);
    }
  }
  return lexicon;
}

/** One of the release's index-shaped XML tables, or none when the release does not have it. */
function indexXmlOf(release: KnowledgeRelease, piece: 'neoplasm' | 'externalCause'): IndexEntry[] {
  const source = release.manifest.icd10cm[piece];
  if (!source) return [];
  const file = fileOf(source);
  return parseIndexXml(readSourceText(release.resolve(file)), file).items;
}

/** The release's Table of Neoplasms rows. */
export const neoplasmTableOf = (release: KnowledgeRelease): IndexEntry[] => indexXmlOf(release, 'neoplasm');

/** The release's Index to External Causes entries. */
export const externalCauseIndexOf = (release: KnowledgeRelease): IndexEntry[] => indexXmlOf(release, 'externalCause');
