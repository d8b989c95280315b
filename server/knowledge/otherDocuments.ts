// Guidelines, ICD-10-PCS, HCPCS Level II and user-supplied CPT → documents.
import { docId, type DraftDoc } from '../engine/retrieve/knowledgeDoc';
import type { CptEntry } from './cpt';
import type { GuidelineSection } from './guidelineSections';
import type { HcpcsEntry } from './hcpcs';
import type { OrderEntry } from './orderFile';
import type { PcsIndexEntry } from './pcsIndex';

const MENTIONED_CODE = /\b([A-TV-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?)-?(?=[\s,.;:)]|$)/g;

export function guidelineDocuments(fy: number, sections: readonly GuidelineSection[], file: string): DraftDoc[] {
  return sections.map((s) => {
    const chapter = /^I\.C\.(\d+)(\.|$)/.exec(s.section)?.[1];
    const codes = [...new Set([...s.text.matchAll(MENTIONED_CODE)].map((m) => m[1]!))];
    return {
      id: docId('icd10cm', fy, 'guideline', s.section),
      kind: 'guideline',
      system: 'icd10cm',
      fy,
      title: `${s.section} ${s.title}`,
      text: s.text,
      codes,
      guideline: { section: s.section, title: s.title, page: s.page },
      ...(chapter ? { chapter } : {}),
      source: { file, line: s.page },
    } satisfies DraftDoc;
  });
}

export function pcsDocuments(fy: number, order: readonly OrderEntry[], file: string): DraftDoc[] {
  return order.map((entry) => ({
    id: docId('icd10pcs', fy, 'code', entry.code),
    kind: 'code',
    system: 'icd10pcs',
    fy,
    title: entry.longTitle,
    text: entry.longTitle,
    code: entry.code,
    codes: [entry.code],
    billable: entry.billable,
    category: entry.code.slice(0, 3),
    source: { file },
  }));
}

export function hcpcsDocuments(fy: number, entries: readonly HcpcsEntry[], file: string, release: string): DraftDoc[] {
  return entries
    .filter((e) => !e.terminated)
    .map((entry) => ({
      id: docId('hcpcs', fy, 'code', entry.code),
      kind: 'code',
      system: 'hcpcs',
      fy,
      title: entry.longTitle,
      text: entry.longTitle,
      code: entry.code,
      codes: [entry.code],
      billable: true,
      category: entry.code.slice(0, 1),
      source: { file, line: entry.line, fallback: release },
    }));
}

export function cptDocuments(fy: number, entries: readonly CptEntry[], file: string): DraftDoc[] {
  return entries.map((entry) => ({
    id: docId('cpt', fy, 'code', entry.code),
    kind: 'code',
    system: 'cpt',
    fy,
    title: entry.descriptor,
    text: entry.descriptor,
    code: entry.code,
    codes: [entry.code],
    billable: true,
    source: { file, line: entry.line },
  }));
}

export function pcsIndexDocuments(fy: number, entries: readonly PcsIndexEntry[], file: string, release: string): DraftDoc[] {
  return entries.map((entry) => {
    const phrase = entry.path.join(', ');
    const target = entry.see ? `see ${entry.see}` : entry.use ? `use ${entry.use}` : entry.codes.map((c) => c.replace(/-$/, '')).join(', ');
    return {
      id: docId('icd10pcs', fy, 'index', String(entry.line)),
      kind: 'index',
      system: 'icd10pcs',
      fy,
      title: `${phrase} → ${target}`,
      text: `${phrase} ${target.replace(/ [0-9A-Z]{3,7}$/, '')}`,
      codes: entry.codes,
      path: entry.path,
      ...(entry.see ? { see: entry.see } : {}),
      ...(entry.codes[0] && !entry.codes[0].endsWith('-') ? { code: entry.codes[0] } : {}),
      source: { file, line: entry.line, fallback: release },
    } satisfies DraftDoc;
  });
}
