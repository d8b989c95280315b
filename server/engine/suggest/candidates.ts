// The candidate set the model chooses from: codes reached by any mention's retrieval, deduplicated, each keeping
// what led to it (the mentions, the index paths or titles that matched), ranked by best fused score and cut to a
// budget. Only codes of the code book count (a table cell "C34.9-" leads to C34.9's billable codes); a header is
// offered through its billable children. Codes that take a 7th character are offered once, as their stem: the
// encounter decides the character (seventhCharacter.ts).
import type { CodeSystemKey } from '../retrieve/knowledgeDoc';
import type { SearchHit } from '../retrieve/search';
import type { CodeBook } from './codeBook';
import type { CatalogEntry } from './codeValidity';
import { stemOf } from './seventhCharacter';

export interface CandidateSource {
  readonly mentionIndex: number;
  readonly docId: string;
  /** What matched: an index path, a code title, a table row. */
  readonly via: string;
  readonly fusedScore: number;
}

export interface Candidate {
  readonly system: CodeSystemKey;
  /** A reportable code, or the stem of codes that take a 7th character. */
  readonly code: string;
  readonly title: string;
  readonly needsSeventh?: boolean;
  readonly bestScore: number;
  readonly sources: readonly CandidateSource[];
}

export interface CandidateOptions {
  readonly book: CodeBook;
  /** At most this many candidates go to the model. */
  readonly budget: number;
  /** Billable children offered in place of a header hit. */
  readonly childrenPerHeader?: number;
}

interface Offered {
  readonly system: CodeSystemKey;
  readonly code: string;
  readonly title: string;
  readonly needsSeventh: boolean;
}

function offered(system: CodeSystemKey, entry: CatalogEntry, book: CodeBook): Offered {
  const doc = book.doc(system, entry.code);
  const stem = stemOf(entry.code, doc?.seventhCharacters);
  if (stem === entry.code) return { system, code: entry.code, title: entry.title, needsSeventh: false };
  return { system, code: stem, title: book.catalog(system).lookup(stem)?.title ?? entry.title, needsSeventh: true };
}

function codesOfHit(hit: SearchHit, book: CodeBook, childrenPerHeader: number): Offered[] {
  const catalog = book.catalog(hit.doc.system);
  const seen = new Set<string>();
  return hit.doc.codes.flatMap((raw) => {
    const entry = catalog.lookup(raw.replace(/[.-]+$/, ''));
    if (!entry) return [];
    const entries = entry.billable ? [entry] : catalog.billableUnder(entry.code);
    const out: Offered[] = [];
    for (const e of entries) {
      const o = offered(hit.doc.system, e, book);
      if (seen.has(o.code)) continue;
      seen.add(o.code);
      out.push(o);
      if (!entry.billable && out.length >= childrenPerHeader) break;
    }
    return out;
  });
}

/** `hitsPerMention[i]` are the retrieval hits of mention i, best first. */
export function buildCandidates(hitsPerMention: readonly (readonly SearchHit[])[], options: CandidateOptions): Candidate[] {
  const byCode = new Map<string, { offer: Offered; bestScore: number; sources: CandidateSource[] }>();
  hitsPerMention.forEach((hits, mentionIndex) => {
    for (const hit of hits) {
      for (const offer of codesOfHit(hit, options.book, options.childrenPerHeader ?? 8)) {
        const key = `${offer.system}|${offer.code}`;
        const current = byCode.get(key) ?? { offer, bestScore: 0, sources: [] };
        current.bestScore = Math.max(current.bestScore, hit.fusedScore);
        if (!current.sources.some((s) => s.docId === hit.doc.id && s.mentionIndex === mentionIndex)) {
          current.sources.push({ mentionIndex, docId: hit.doc.id, via: hit.doc.title, fusedScore: hit.fusedScore });
        }
        byCode.set(key, current);
      }
    }
  });
  return [...byCode.values()]
    .sort((a, b) => b.bestScore - a.bestScore || b.sources.length - a.sources.length || a.offer.code.localeCompare(b.offer.code))
    .slice(0, options.budget)
    .map(({ offer, bestScore, sources }) => ({
      system: offer.system,
      code: offer.code,
      title: offer.title,
      bestScore,
      sources,
      ...(offer.needsSeventh ? { needsSeventh: true } : {}),
    }));
}
