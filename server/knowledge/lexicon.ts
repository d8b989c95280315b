// Clinical head words for mention extraction: the Alphabetic Index's main terms ("Failure, failed" → failur, fail),
// stemmed as the normalizer stems, minus words too generic to head a mention.
import { stemmer } from 'stemmer';
import { parseIndexCsv } from './indexCsv';
import { parseIndexXml } from './indexXml';
import { readSourceText } from './readSource';
import { fileOf, type KnowledgeRelease } from './release';

const TOO_GENERIC = new Set(['admiss', 'examin', 'histori', 'statu', 'observ', 'encount', 'problem', 'care', 'use', 'test', 'patient', 'famili', 'person', 'left', 'right', 'with', 'plan', 'assess', 'stage', 'type', 'find', 'social', 'chief', 'complaint']);

export function clinicalLexicon(release: KnowledgeRelease): Set<string> {
  const source = release.manifest.icd10cm.index;
  if (!source) return new Set();
  const file = fileOf(source);
  const text = readSourceText(release.resolve(file));
  const entries = /\.csv(\.gz)?$/i.test(file) ? parseIndexCsv(text, file).items : parseIndexXml(text, file).items;
  const words = new Set<string>();
  for (const entry of entries) {
    if (entry.path.length !== 1) continue;
    for (const word of entry.path[0]!.toLowerCase().split(/[^a-z]+/)) {
      if (word.length < 3) continue;
      const stem = stemmer(word);
      if (!TOO_GENERIC.has(stem)) words.add(stem);
    }
  }
  return words;
}
