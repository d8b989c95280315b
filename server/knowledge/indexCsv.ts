// The FY2025 Alphabetic Index flattened to CSV (RowID, Letter, Level, Term, See, SeeAlso, NonEssModif, Code):
// the nesting survives only as Level, so the main-term/subterm path is rebuilt with a stack.
import { parse } from 'csv-parse/sync';
import type { Loaded, LoadProblem } from './loadProblem';
import type { IndexEntry } from './indexXml';

const HEADER = ['RowID', 'Letter', 'Level', 'Term', 'See', 'SeeAlso', 'NonEssModif', 'Code'];
const CODE = /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z-]{1,4})?-?$/;

export function parseIndexCsv(text: string, file: string): Loaded<IndexEntry> {
  const problems: LoadProblem[] = [];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, relax_column_count: true, skip_empty_lines: true, bom: true }) as unknown as typeof records;
  } catch (err) {
    return { items: [], problems: [{ file, line: (err as { lines?: number }).lines ?? 1, reason: `unreadable CSV: ${(err as Error).message}` }] };
  }
  const [head, ...rows] = records;
  if (!head || HEADER.some((name, i) => head.record[i] !== name)) {
    return { items: [], problems: [{ file, line: 1, reason: `expected the header ${HEADER.join(',')}` }] };
  }
  const stack: string[] = [];
  const items: IndexEntry[] = [];
  for (const { record, info } of rows) {
    const [, , levelText = '', term = '', see = '', seeAlso = '', nonEssential = '', code = ''] = record;
    const level = Number(levelText);
    if (term.startsWith('Note:')) continue; // an instructional note printed under a term, not a subterm
    const title = term.trim() || nonEssential.trim(); // a subterm may consist of non-essential modifiers only
    if (record.length !== HEADER.length || !Number.isInteger(level) || level < 0 || level > stack.length || !title) {
      problems.push({
        file,
        line: info.lines,
        reason: record.length !== HEADER.length ? `expected ${HEADER.length} columns, found ${record.length}` : `bad level "${levelText}" or empty term`,
      });
      continue;
    }
    stack.length = level;
    stack.push(title);
    const cleanCode = code.trim();
    if (cleanCode && !CODE.test(cleanCode)) problems.push({ file, line: info.lines, reason: `"${cleanCode}" is not an ICD-10-CM code` });
    items.push({
      path: [...stack],
      line: info.lines,
      ...(term.trim() && nonEssential.trim() ? { nonEssential: nonEssential.trim() } : {}),
      ...(cleanCode && CODE.test(cleanCode) ? { code: cleanCode } : {}),
      ...(see.trim() ? { see: see.trim() } : {}),
      ...(seeAlso.trim() ? { seeAlso: seeAlso.trim() } : {}),
    });
  }
  return { items, problems };
}
