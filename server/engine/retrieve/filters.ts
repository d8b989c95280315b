// One reading of SearchFilters, shared by the embedded index and the fakes (Elasticsearch gets the same as a query).
import type { KnowledgeDoc } from './knowledgeDoc';
import type { SearchFilters } from './search';

export function matchesFilters(doc: KnowledgeDoc, filters: SearchFilters): boolean {
  if (filters.systems?.length && !filters.systems.includes(doc.system)) return false;
  if (filters.kinds?.length && !filters.kinds.includes(doc.kind)) return false;
  if (filters.billable !== undefined && doc.billable !== filters.billable) return false;
  if (filters.fy !== undefined && doc.fy !== filters.fy) return false;
  if (filters.chapter !== undefined && doc.chapter !== filters.chapter) return false;
  return true;
}
