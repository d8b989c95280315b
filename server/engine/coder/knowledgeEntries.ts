// The second dictionary: Alphabetic Index paths, code titles and inclusion terms as term sets → codes. It reaches
// codes no coded chart taught. Non-essential modifiers (in parentheses) are optional, so they are left out; a main
// term's alternative forms ("Failure, failed") count once. An Index code that is a header leads to its "unspecified"
// billable child when the code set has one, as coders are taught to read it; an entry with only a "see" reference
// leads where the reference leads.
import { unspecifiedChildren, type CodeCatalog } from '../suggest/codeValidity';
import type { TabularNote } from '../retrieve/knowledgeDoc';
import type { DictionaryEntry, EntrySource, TermClasses } from './dictionary';
import { seeTargets, withoutModifiers, type NeoplasmRow } from './seeReferences';
import { phraseTerms } from './terms';

/** What the code set itself teaches the coder, beside coded charts: its entries, and the class terms some of their
 * words stand for (the Table of Neoplasms' behaviour words). */
export interface CoderKnowledge {
  readonly entries: readonly DictionaryEntry[];
  readonly termClasses: TermClasses;
}

export const NO_KNOWLEDGE: CoderKnowledge = { entries: [], termClasses: new Map() };

export interface IndexPath {
  readonly path: readonly string[];
  readonly code?: string;
  /** The Index's modifier text of the entry's own term: parenthesized words are optional, bare ones are not. */
  readonly nonEssential?: string;
  readonly see?: string;
  readonly seeAlso?: string;
}

export interface TitledCode {
  readonly code: string;
  readonly title: string;
  readonly notes?: readonly TabularNote[];
}

const shortWords = (form: string): boolean => form.split(/\s+/).every((w) => w.length <= 4);

/** A subterm's forms: "cerebellar, cerebellum" and "from, off, out of" are ways to say one thing, either is enough;
 * "upper end, physeal" is one term written inverted, all of it is needed. */
function subtermForms(term: string): string[] {
  const forms = term
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const stem = forms[0]?.toLowerCase().slice(0, 4) ?? '';
  const variants = stem.length === 4 && forms.every((f) => f.toLowerCase().startsWith(stem));
  return forms.length > 1 && (variants || forms.every(shortWords)) ? forms : [term];
}

/** Each entry's phrases as the Index means them: each term without its optional (parenthesized) words, with the bare
 * words of its modifier column ("and" + "(on) chronic (congestive)" → "and chronic"), a subterm's alternative forms
 * each on its own (at most 8 phrases). Items come parents first. */
function indexPhrases(index: readonly IndexPath[]): string[][] {
  const levels: string[][] = [];
  return index.map((item) => {
    const level = item.path.length - 1;
    const own = withoutModifiers(item.path[level] ?? '');
    const modifier = withoutModifiers(item.nonEssential ?? '');
    levels.length = level;
    levels.push((level === 0 ? [own.split(',')[0]!] : subtermForms(own)).map((form) => `${form} ${modifier}`));
    return levels.reduce<string[]>((phrases, forms) => phrases.flatMap((p) => forms.map((f) => `${p} ${f}`)).slice(0, 8), ['']);
  });
}

/** Words a code title classifies with and a clinician seldom writes: "Disorder of prostate", "Aortocoronary bypass
 * status", "40 weeks gestation of pregnancy". A title holding them is also an entry without them. */
const CLASSIFICATION_WORDS = /\b(diseases?|disorders?|status|site|of pregnancy|conditions?)\b/gi;

/** The billable code an Index or title code stands for, or the code itself when none is clear. */
export function resolveCode(raw: string, catalog: CodeCatalog): string | undefined {
  const code = raw.replace(/[.-]+$/, '').toUpperCase();
  const entry = catalog.lookup(code);
  if (!entry) return undefined;
  if (entry.billable) return entry.code;
  return unspecifiedChildren(catalog, entry.code)[0]?.code ?? entry.code;
}

export function knowledgeEntries(
  index: readonly IndexPath[],
  codes: readonly TitledCode[],
  catalog: CodeCatalog,
  neoplasmTable: readonly NeoplasmRow[] = [],
): DictionaryEntry[] {
  const seen = new Set<string>();
  const out: DictionaryEntry[] = [];
  const add = (phrase: string, raw: string, source: EntrySource, label: string) => {
    const code = resolveCode(raw, catalog);
    const terms = phraseTerms(phrase);
    if (!code || !terms.length || terms.length > 12) return;
    const key = `${terms.join(' ')}|${code}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ terms, code, source, label, n: 0, tp: 0 });
  };
  const phrases = indexPhrases(index);
  const targets = seeTargets(index, neoplasmTable);
  const also = seeTargets(index, neoplasmTable, 'seeAlso');
  index.forEach((item, i) => {
    const term = `Index: ${item.path.join(', ')}${item.nonEssential ? ` ${item.nonEssential}` : ''}`;
    for (const phrase of phrases[i]!) {
      if (item.code) add(phrase, item.code, 'index', `${term} → ${item.code}`);
      else if (targets[i]) add(phrase, targets[i]!, 'index', `${term} — see ${item.see} → ${targets[i]}`);
      if (also[i]) add(phrase, also[i]!, 'index', `${term} — see also ${item.seeAlso} → ${also[i]}`);
    }
  });
  for (const c of codes) {
    const title = withoutModifiers(c.title);
    add(title, c.code, 'title', `Tabular: ${c.code} ${c.title}`);
    const plain = title.replace(CLASSIFICATION_WORDS, ' ');
    if (plain !== title && phraseTerms(plain).length >= 2) add(plain, c.code, 'title', `Tabular: ${c.code} ${c.title}`);
    for (const note of c.notes ?? [])
      if (note.kind === 'inclusionTerm') add(withoutModifiers(note.text), c.code, 'title', `Tabular: ${c.code} inclusion term "${note.text}"`);
  }
  return out;
}
