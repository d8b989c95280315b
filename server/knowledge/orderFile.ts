// CMS/CDC order files (ICD-10-CM and ICD-10-PCS share the layout, icd10OrderFiles.pdf):
// order number cols 1-5, code 7-13 (no dot), valid flag col 15 (1 billable, 0 header), short title 17-76, long title 78-.
import type { Loaded, LoadProblem } from './loadProblem';

export interface OrderEntry {
  readonly order: number;
  /** Dotted for ICD-10-CM (I50.23); PCS codes have no dot. */
  readonly code: string;
  readonly billable: boolean;
  readonly shortTitle: string;
  readonly longTitle: string;
}

export type OrderCodeStyle = 'icd10cm' | 'icd10pcs';

/** ICD-10-CM writes a dot after the category (3 characters); the order file omits it. */
export function dottedIcd10cm(code: string): string {
  return code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code;
}

const CODE_PATTERN: Record<OrderCodeStyle, RegExp> = {
  icd10cm: /^[A-Z][0-9A-Z][0-9A-Z]{1,5}$/, // FY2026 added QA0 (a letter in second place)
  icd10pcs: /^[0-9A-HJ-NP-Z]{3,7}$/,
};

function parseLine(raw: string, style: OrderCodeStyle): OrderEntry | string {
  const line = raw.replace(/\r$/, '');
  if (line.length < 17) return 'line shorter than the fixed layout (17 columns)';
  const order = Number(line.slice(0, 5));
  const code = line.slice(6, 13).trim();
  const flag = line.charAt(14);
  if (!Number.isInteger(order) || order <= 0) return `order number "${line.slice(0, 5)}" is not a positive integer`;
  if (!CODE_PATTERN[style].test(code)) return `"${code}" is not an ${style} code`;
  if (flag !== '0' && flag !== '1') return `valid flag "${flag}" is neither 0 nor 1`;
  const shortTitle = line.slice(16, 76).trim();
  const longTitle = line.slice(77).trim() || shortTitle;
  if (!shortTitle) return 'empty title';
  return { order, code: style === 'icd10cm' ? dottedIcd10cm(code) : code, billable: flag === '1', shortTitle, longTitle };
}

export function parseOrderFile(text: string, file: string, style: OrderCodeStyle): Loaded<OrderEntry> {
  const items: OrderEntry[] = [];
  const problems: LoadProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    if (!raw.trim()) return;
    const parsed = parseLine(raw, style);
    if (typeof parsed === 'string') problems.push({ file, line: index + 1, reason: parsed });
    else items.push(parsed);
  });
  return { items, problems };
}
