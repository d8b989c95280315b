// CPT descriptors are AMA-licensed and never ship with Chartcoder. A licensee points `knowledge.cptFile` at their
// own file: CSV or TSV with a header naming a code column and a descriptor column (e.g. "code,descriptor").
import { parse } from 'csv-parse/sync';
import type { Loaded, LoadProblem } from './loadProblem';

export interface CptEntry {
  readonly code: string;
  readonly descriptor: string;
  readonly line: number;
}

const CODE = /^[0-9]{4}[0-9FTU]$/; // Category I (5 digits), II (….F), III (….T), PLA (….U)
const CODE_COLUMNS = ['code', 'cpt', 'cpt code', 'cpt_code', 'hcpcs'];
const DESCRIPTOR_COLUMNS = ['descriptor', 'description', 'long descriptor', 'long_description', 'long description'];

export function parseCptFile(text: string, file: string): Loaded<CptEntry> {
  const delimiter = (text.split('\n', 1)[0] ?? '').includes('\t') ? '\t' : ',';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
      relax_quotes: true,
    }) as unknown as typeof records;
  } catch (err) {
    return { items: [], problems: [{ file, line: (err as { lines?: number }).lines ?? 1, reason: `unreadable CPT file: ${(err as Error).message}` }] };
  }
  const [head, ...rows] = records;
  const columns = (head?.record ?? []).map((name) => name.trim().toLowerCase());
  const codeAt = columns.findIndex((name) => CODE_COLUMNS.includes(name));
  const descriptorAt = columns.findIndex((name) => DESCRIPTOR_COLUMNS.includes(name));
  if (codeAt < 0 || descriptorAt < 0) {
    return { items: [], problems: [{ file, line: 1, reason: 'the header must name a code column (code) and a descriptor column (descriptor)' }] };
  }
  const items: CptEntry[] = [];
  const problems: LoadProblem[] = [];
  for (const { record, info } of rows) {
    const code = (record[codeAt] ?? '').trim().toUpperCase();
    const descriptor = (record[descriptorAt] ?? '').trim();
    if (!CODE.test(code)) problems.push({ file, line: info.lines, reason: `"${code}" is not a CPT code` });
    else if (!descriptor) problems.push({ file, line: info.lines, reason: `${code} has no descriptor` });
    else items.push({ code, descriptor, line: info.lines });
  }
  return { items, problems };
}
