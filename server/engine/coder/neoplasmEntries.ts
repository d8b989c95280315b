// The Table of Neoplasms as dictionary entries: a site row of the table plus a word of the column's behaviour
// ("squamous cell carcinoma of the larynx" → Neoplasm, larynx, Malignant Primary → C32.9). Which words name which
// behaviour comes from the Alphabetic Index itself, as coders read it: "Carcinoma — see also Neoplasm, by site,
// malignant", "Adenoma — see also Neoplasm, benign, by site", "Metastasis … to specified site — see Neoplasm,
// secondary, by site". Such a word stands in the note for its behaviour class (a term the matcher adds at the word's
// position), so each row needs one entry per column, not one per morphology word.
import type { CodeCatalog } from '../suggest/codeValidity';
import type { DictionaryEntry } from './dictionary';
import { resolveCode } from './knowledgeEntries';
import { withoutModifiers, type IndexReference, type NeoplasmRow } from './seeReferences';
import { phraseTerms, wordTerms } from './terms';

export type Behaviour = 'malignant' | 'secondary' | 'insitu' | 'benign' | 'uncertain' | 'unspecified';

const CLASS = '§';
/** The class term of a behaviour's morphology words ("carcinoma", "adenoma"). */
export const behaviourTerm = (b: Behaviour): string => `${CLASS}${b}`;
/** The class term every morphology word carries besides its own: "malignant tumour", "benign neoplasm". */
export const NEOPLASM_TERM = `${CLASS}neoplasm`;

const HEADINGS: Readonly<Record<string, Behaviour>> = {
  'malignant primary': 'malignant',
  'malignant secondary': 'secondary',
  'ca in situ': 'insitu',
  benign: 'benign',
  'uncertain behavior': 'uncertain',
  'unspecified behavior': 'unspecified',
};

/** The word that turns any neoplasm word into a behaviour: "malignant tumor", "carcinoma in situ". */
const QUALIFIERS: readonly (readonly [string, Behaviour])[] = [
  ['malignant', 'malignant'],
  ['secondary', 'secondary'],
  ['situ', 'insitu'],
  ['benign', 'benign'],
];

/** A subterm that stands for "wherever the note says": "specified site NEC", "to specified site" (not "from"). */
const SITE_PLACEHOLDER = /^(to )?specified site\b/i;
const BEHAVIOUR_WORDS = /\b(malignant|secondary|in situ|benign|uncertain|unspecified)\b/;

/** The behaviour column an Index reference sends to, when it sends to the Table of Neoplasms. */
function behaviourOf(reference: string | undefined): Behaviour | undefined {
  const text = reference?.toLowerCase().replace(/\s+/g, ' ') ?? '';
  if (!text.includes('neoplasm')) return undefined;
  const word = BEHAVIOUR_WORDS.exec(text)?.[1];
  // "Growth — see also Neoplasm"; "Neoplasm, neoplastic — see also Table of Neoplasms": behaviour unspecified.
  if (!word) return /^(neoplasm|table of neoplasms)$/.test(text.trim()) ? 'unspecified' : undefined;
  return word === 'in situ' ? 'insitu' : (word as Behaviour);
}

/** The one stem of a single-word term and of its plurals (metastasis → metastases, carcinoma → carcinomas). */
function stemsOf(word: string): string[] {
  const lower = word.trim().toLowerCase();
  if (!/^[a-z]+$/.test(lower)) return [];
  const forms = [lower, `${lower}s`, lower.replace(/is$/, 'es'), lower.replace(/oma$/, 'omata')];
  return [...new Set(forms.flatMap((f) => (wordTerms(f).length === 1 ? [wordTerms(f)[0]!] : [])))];
}

/** A main term's own forms: "Metastasis, metastatic" is two; "Endothelioma, bone" is one, inverted (bone is a site). */
function formsOf(main: string): string[] {
  const [first = '', ...rest] = withoutModifiers(main)
    .split(',')
    .map((f) => f.trim().toLowerCase());
  return [first, ...rest.filter((f) => f.slice(0, 5) === first.slice(0, 5))];
}

/**
 * Main terms without a code of their own that the Index sends to the table by behaviour, directly (Carcinoma,
 * Tumor) or through a subterm for the site the note names (Glioma, specified site NEC; Metastasis, cancer, to
 * specified site). A subterm naming a behaviour itself ("Tumor, benign") does not speak for its main term.
 */
export function morphologyClasses(index: readonly IndexReference[]): Map<string, string[]> {
  const own = new Map<string, Behaviour | undefined>();
  const coded = new Set<string>();
  const votes = new Map<string, Map<Behaviour, number>>();
  for (const e of index) {
    const main = e.path[0]!;
    if (e.path.length === 1) {
      if (e.code) coded.add(main);
      own.set(main, own.get(main) ?? behaviourOf(e.see) ?? behaviourOf(e.seeAlso));
      continue;
    }
    if (!SITE_PLACEHOLDER.test(e.path.at(-1)!) || BEHAVIOUR_WORDS.test(e.path[1]!.toLowerCase())) continue;
    const b = behaviourOf(e.see) ?? behaviourOf(e.seeAlso);
    if (!b) continue;
    const tally = votes.get(main) ?? new Map<Behaviour, number>();
    votes.set(main, tally.set(b, (tally.get(b) ?? 0) + 1));
  }
  const classes = new Map<string, string[]>();
  for (const [main, behaviour] of own) {
    const tally = coded.has(main) ? undefined : votes.get(main);
    const chosen = behaviour ?? (tally ? [...tally].sort((a, b) => b[1] - a[1])[0]![0] : undefined);
    if (!chosen) continue;
    for (const alternative of formsOf(main)) {
      for (const stem of stemsOf(alternative)) {
        const list = classes.get(stem) ?? [NEOPLASM_TERM];
        if (!list.includes(behaviourTerm(chosen))) list.push(behaviourTerm(chosen));
        classes.set(stem, list);
      }
    }
  }
  return classes;
}

/** Latin anatomy's adjectives the table does not list beside its noun: rectum → rectal, esophagus → esophageal,
 * ovary → ovarian, pancreas → pancreatic, colon → colonic, testis → testicular, vulva → vulvar, penis → penile. */
const ADJECTIVES: readonly (readonly [RegExp, string])[] = [
  [/um$/, 'al'],
  [/us$/, 'eal'],
  [/ary$/, 'arian'],
  [/as$/, 'atic'],
  [/on$/, 'onic'],
  [/is$/, 'icular'],
  [/a$/, 'ar'],
  [/is$/, 'ile'],
];

function withAdjectives(alternatives: readonly string[]): string[] {
  const out = new Set(alternatives);
  for (const noun of alternatives.filter((a) => /^[a-z]{4,}$/.test(a)))
    for (const [ending, adjective] of ADJECTIVES) if (ending.test(noun)) out.add(noun.replace(ending, adjective));
  return [...out];
}

/** The site phrases of a row: each level's alternative forms ("larynx, laryngeal NEC"), combined, at most 8. */
function sitePhrases(path: readonly string[]): string[] {
  let phrases = [''];
  for (const level of path.slice(1)) {
    const alternatives = withAdjectives(
      withoutModifiers(level)
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    );
    phrases = phrases.flatMap((p) => alternatives.map((a) => `${p} ${a}`)).slice(0, 8);
  }
  return phrases;
}

export function neoplasmEntries(table: readonly NeoplasmRow[], catalog: CodeCatalog): DictionaryEntry[] {
  const seen = new Set<string>();
  const out: DictionaryEntry[] = [];
  for (const row of table) {
    if (row.path.length < 2 || !row.cells?.length) continue;
    for (const phrase of sitePhrases(row.path)) {
      const site = phraseTerms(phrase);
      if (!site.length || site.length > 10) continue;
      for (const cell of row.cells) {
        const behaviour = HEADINGS[cell.heading.toLowerCase()];
        const code = behaviour && resolveCode(cell.code, catalog);
        if (!behaviour || !code) continue;
        const label = `Neoplasm table: ${row.path.slice(1).join(', ')}, ${cell.heading} → ${cell.code}`;
        const qualified = QUALIFIERS.filter(([, b]) => b === behaviour).map(([word]) => [NEOPLASM_TERM, ...wordTerms(word)]);
        for (const extra of [[behaviourTerm(behaviour)], ...qualified]) {
          const terms = [...new Set([...site, ...extra])].sort();
          const key = `${terms.join(' ')}|${code}`;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push({ terms, code, source: 'index', label, n: 0, tp: 0 });
        }
      }
    }
  }
  return out;
}
