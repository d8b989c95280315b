// Which documents carry a vector, and the text it is computed from. The kNN leg covers what a clinician's
// phrase should land on directly (ICD-10-CM codes and categories, guideline sections, neoplasm rows); index
// paths, PCS, HCPCS and CPT are reached by BM25. Keeping the vector set to ~80k texts keeps a cold build on a
// 2-core machine near ten minutes.
import type { KnowledgeDoc } from './knowledgeDoc';

const GUIDELINE_CHARS = 1_000;

export function embeddingText(doc: KnowledgeDoc): string | undefined {
  switch (doc.kind) {
    case 'code':
      return doc.system === 'icd10cm' && (doc.billable || doc.code?.length === 3) ? doc.text : undefined;
    case 'guideline':
      return doc.text.slice(0, GUIDELINE_CHARS);
    case 'neoplasm':
      return doc.text;
    default:
      return undefined;
  }
}
