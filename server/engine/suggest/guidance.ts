// Guidance a suggestion rests on, each with a link a hover can open: the tabular notes of the code and its
// ancestors, the index entries that led to it, and the Official Guidelines sections retrieved for the mention.
import type { KnowledgeDoc, NoteKind } from '../retrieve/knowledgeDoc';
import type { SearchHit } from '../retrieve/search';
import type { CandidateSource } from './candidates';
import type { GuidanceCitation } from './suggestion';

const CITED_NOTES: readonly NoteKind[] = ['useAdditionalCode', 'codeFirst', 'codeAlso', 'excludes1', 'excludes2', 'includes', 'sevenChrNote'];
/** Each tabular note kind as the Tabular List prints it. */
export const NOTE_LABELS: Readonly<Record<NoteKind, string>> = {
  inclusionTerm: 'Inclusion terms',
  includes: 'Includes',
  excludes1: 'Excludes1',
  excludes2: 'Excludes2',
  codeFirst: 'Code first',
  useAdditionalCode: 'Use additional code',
  codeAlso: 'Code also',
  notes: 'Notes',
  sevenChrNote: '7th character note',
};

const GUIDANCE_PREFIX = 'chartcoder-guidance:/';

export const guidanceLink = (id: string): string => `${GUIDANCE_PREFIX}${encodeURIComponent(id)}`;

/** The knowledge document id a guidance link names; undefined for anything else. */
export function guidanceIdOf(link: string): string | undefined {
  const encoded = link.startsWith(GUIDANCE_PREFIX) ? link.slice(GUIDANCE_PREFIX.length) : '';
  if (!encoded) return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

export function tabularCitations(lineage: readonly KnowledgeDoc[], limit = 6): GuidanceCitation[] {
  return lineage
    .flatMap((doc) =>
      (doc.notes ?? [])
        .filter((n) => CITED_NOTES.includes(n.kind))
        .map(
          (n, i): GuidanceCitation => ({
            id: `${doc.id}#${n.kind}-${i}`,
            title: `${doc.code ?? ''} ${NOTE_LABELS[n.kind]}`.trim(),
            kind: 'tabular',
            section: n.kind,
            excerpt: n.text,
            link: guidanceLink(doc.id),
          }),
        ),
    )
    .slice(0, limit);
}

export function indexCitations(sources: readonly CandidateSource[], limit = 2): GuidanceCitation[] {
  return sources
    .filter((s) => s.docId.includes(':index:') || s.docId.includes(':neoplasm:') || s.docId.includes(':drug:'))
    .slice(0, limit)
    .map((s) => ({ id: s.docId, title: s.via, kind: s.docId.includes(':index:') ? ('index' as const) : ('table' as const), link: guidanceLink(s.docId) }));
}

export function guidelineCitations(hits: readonly SearchHit[]): GuidanceCitation[] {
  return hits
    .filter((h) => h.doc.kind === 'guideline')
    .map((h) => ({
      id: h.doc.id,
      title: h.doc.guideline ? `${h.doc.guideline.section} ${h.doc.guideline.title}` : h.doc.title,
      kind: 'guideline' as const,
      ...(h.doc.guideline ? { section: h.doc.guideline.section } : {}),
      excerpt: h.doc.text.slice(0, 400),
      link: guidanceLink(h.doc.id),
    }));
}
