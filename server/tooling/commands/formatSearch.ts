// Human-readable search results: one line per hit with the per-leg ranks, then the state of each leg.
import type { SearchHit, SearchResult } from '../../engine/retrieve/search';

const rank = (value: number | undefined): string => (value === undefined ? '-' : String(value)).padStart(4);

function label(hit: SearchHit): string {
  const doc = hit.doc;
  if (doc.guideline) return `§${doc.guideline.section} ${doc.guideline.title} (p.${doc.guideline.page})`;
  if (doc.kind === 'code') return `${doc.code} ${doc.title}${doc.billable === false ? ' [header]' : ''}`;
  return doc.title;
}

export function formatSearch(result: SearchResult): string {
  const lines = result.hits.map(
    (hit, i) =>
      `${String(i + 1).padStart(3)}. ${hit.fusedScore.toFixed(4)} bm25${rank(hit.ranks.bm25)} ` +
      `knn${rank(hit.ranks.knn)}  [${hit.doc.system} ${hit.doc.kind}] ${label(hit).slice(0, 150)}`,
  );
  const legs = Object.entries(result.legs).map(([leg, s]) => `${leg}: ${s.state === 'ok' ? `${s.hits} hits in ${s.tookMs} ms` : `${s.state} (${s.reason})`}`);
  const expansions = result.query.expansions.map((e) => `${e.abbreviation} → ${e.expansion}`);
  return [
    ...(lines.length ? lines : ['  no hits']),
    `  ${result.backend} ${result.indexVersion} · fusion ${result.fusion} · ${legs.join(' · ')}`,
    ...(expansions.length ? [`  expanded: ${expansions.join(', ')}`] : []),
    ...(result.query.truncated ? ['  the query was longer than the limit and was truncated'] : []),
  ].join('\n');
}
