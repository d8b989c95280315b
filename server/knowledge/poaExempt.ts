// CMS POA-exempt list (tab-separated: order, code without dot, description; one header line).
import type { Loaded, LoadProblem } from './loadProblem';
import { dottedIcd10cm } from './orderFile';

export function parsePoaExempt(text: string, file: string): Loaded<string> {
  const items: string[] = [];
  const problems: LoadProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (index === 0 || !line.trim()) return;
    const code = (line.split('\t')[1] ?? '').trim().replace('.', '');
    if (/^[A-Z][0-9A-Z]{2,6}$/.test(code)) items.push(dottedIcd10cm(code));
    else problems.push({ file, line: index + 1, reason: `"${code}" is not an ICD-10-CM code` });
  });
  return { items, problems };
}
