// The guidance a suggestion cites, as the document a coder opens from its link: a Tabular List entry with its notes
// and 7th characters, an Index or table entry with its path and codes, or an Official Guidelines section — always
// with the release file (and line) it was read from.
import { SYSTEM_NAMES, type DocKind, type KnowledgeDoc, type NoteKind } from '../retrieve/knowledgeDoc';
import { NOTE_LABELS } from './guidance';

const KIND_LABELS: Readonly<Record<DocKind, string>> = {
  code: 'Tabular List',
  index: 'Alphabetic Index',
  neoplasm: 'Table of Neoplasms',
  drug: 'Table of Drugs and Chemicals',
  'external-cause': 'External Cause of Injuries Index',
  guideline: 'Official Guidelines for Coding and Reporting',
};

const NOTE_ORDER: readonly NoteKind[] = [
  'notes',
  'inclusionTerm',
  'includes',
  'excludes1',
  'excludes2',
  'codeFirst',
  'useAdditionalCode',
  'codeAlso',
  'sevenChrNote',
];

function headingOf(doc: KnowledgeDoc): string {
  if (doc.kind === 'guideline' && doc.guideline) return `Section ${doc.guideline.section} ${doc.guideline.title}`;
  return doc.kind === 'code' && doc.code && !doc.title.startsWith(doc.code) ? `${doc.code} ${doc.title}` : doc.title;
}

function placeOf(doc: KnowledgeDoc): string {
  const where = [
    `${SYSTEM_NAMES[doc.system]} FY${doc.fy}`,
    KIND_LABELS[doc.kind],
    ...(doc.kind === 'code' && doc.billable !== undefined ? [doc.billable ? 'billable code' : 'header: not billable, choose a child code'] : []),
    ...(doc.guideline ? [`page ${doc.guideline.page}`] : []),
    ...(doc.poaExempt ? ['exempt from POA reporting'] : []),
  ];
  return where.join(' · ');
}

function notesOf(doc: KnowledgeDoc): string[] {
  const notes = doc.notes ?? [];
  return NOTE_ORDER.flatMap((kind) => {
    const texts = notes.filter((n) => n.kind === kind).map((n) => `- ${n.text}`);
    return texts.length ? [`## ${NOTE_LABELS[kind]}`, ...texts, ''] : [];
  });
}

function entryOf(doc: KnowledgeDoc): string[] {
  if (doc.kind === 'code') return [];
  return [
    ...(doc.path?.length ? [`**${doc.path.join(' › ')}**`, ''] : []),
    ...(doc.see ? [`See: ${doc.see}`, ''] : []),
    ...(doc.cells?.length ? ['| column | code |', '| --- | --- |', ...doc.cells.map((c) => `| ${c.heading} | ${c.code} |`), ''] : []),
    ...(doc.kind !== 'guideline' && doc.codes.length ? [`Leads to: ${doc.codes.join(', ')}`, ''] : []),
    doc.text,
    '',
  ];
}

export function guidanceMarkdown(doc: KnowledgeDoc): string {
  const lineage = [doc.chapter && `Chapter ${doc.chapter}`, doc.section && `Block ${doc.section}`, doc.category && `Category ${doc.category}`].filter(Boolean);
  return [
    `# ${headingOf(doc)}`,
    '',
    placeOf(doc),
    '',
    ...(lineage.length ? [lineage.join(' › '), ''] : []),
    ...entryOf(doc),
    ...notesOf(doc),
    ...(doc.seventhCharacters?.length ? ['## 7th characters', ...doc.seventhCharacters.map((c) => `- ${c.char}: ${c.meaning}`), ''] : []),
    '---',
    `Source: ${doc.source.file}${doc.source.line ? `, line ${doc.source.line}` : ''}${doc.source.fallback ? ` (from ${doc.source.fallback})` : ''} · ${doc.id}`,
    '',
  ].join('\n');
}
