// Clinical text normalization, in our code because the Elasticsearch test distribution has no analysis-common:
// lower-case, fold accents, split on non-alphanumerics, expand abbreviations (recorded), Porter-stem.
// The same function prepares indexed documents and queries, so both legs of BM25 agree.
import { stemmer } from 'stemmer';
import ABBREVIATIONS from './abbreviations.json';

const EXPANSIONS: ReadonlyMap<string, string> = new Map(Object.entries(ABBREVIATIONS as Record<string, string>).filter(([key]) => !key.startsWith('_')));

const STOPWORDS: ReadonlySet<string> = new Set(['a', 'an', 'and', 'the', 'of', 'in', 'on', 'to', 'for', 'with', 'by', 'at', 'or', 'as', 'is', 'was', 'be']);

export interface Expansion {
  readonly abbreviation: string;
  readonly expansion: string;
}

export interface NormalizedText {
  readonly tokens: string[];
  readonly expansions: Expansion[];
}

export function rawTokens(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function normalizeClinicalText(text: string): NormalizedText {
  const tokens: string[] = [];
  const expansions: Expansion[] = [];
  for (const token of rawTokens(text)) {
    const expansion = EXPANSIONS.get(token);
    if (expansion) expansions.push({ abbreviation: token, expansion });
    for (const word of expansion ? rawTokens(expansion) : [token]) {
      if (!STOPWORDS.has(word)) tokens.push(stemmer(word));
    }
  }
  return { tokens, expansions };
}

/** The normalized form stored in and queried against a whitespace-analysed text field. */
export const analyzed = (text: string): string => normalizeClinicalText(text).tokens.join(' ');

/** The text with each known abbreviation replaced by its expansion, for the embedding model ("CHF" means little to it). */
export function expandAbbreviations(text: string): string {
  return text.replace(/[A-Za-z0-9]+/g, (word) => EXPANSIONS.get(word.toLowerCase()) ?? word);
}

/** Changes whenever the abbreviation table or stopwords change: indexed terms built under another one are stale. */
export const NORMALIZATION_FINGERPRINT = JSON.stringify([[...EXPANSIONS], [...STOPWORDS]]);
