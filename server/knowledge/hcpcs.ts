// CMS Alpha-Numeric HCPCS (Level II) annual file, fixed width: code 1-5, sequence 6-10, record id 11
// (3 = procedure, 4 = its long-description continuation; 7/8 = modifiers, not loaded), long description 12-91,
// short description 92-119, termination date 285-292.
import type { Loaded, LoadProblem } from './loadProblem';

export interface HcpcsEntry {
  readonly code: string;
  readonly longTitle: string;
  readonly shortTitle: string;
  readonly terminated?: string;
  readonly line: number;
}

const CODE = /^[A-V][0-9]{4}$/;

export function parseHcpcs(text: string, file: string): Loaded<HcpcsEntry> {
  const items: HcpcsEntry[] = [];
  const problems: LoadProblem[] = [];
  const byCode = new Map<string, { code: string; long: string[]; shortTitle: string; terminated?: string; line: number }>();
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    const recordId = line.charAt(10);
    if (recordId !== '3' && recordId !== '4') return; // disclaimer text, modifiers
    const code = line.slice(0, 5);
    if (!CODE.test(code)) {
      problems.push({ file, line: index + 1, reason: `"${code}" is not a HCPCS Level II code` });
      return;
    }
    const long = line.slice(11, 91).trim();
    if (recordId === '4') {
      const entry = byCode.get(code);
      if (entry) entry.long.push(long);
      else problems.push({ file, line: index + 1, reason: `continuation of ${code} before its first line` });
      return;
    }
    const terminated = line.slice(284, 292).trim();
    byCode.set(code, { code, long: [long], shortTitle: line.slice(91, 119).trim(), line: index + 1, ...(/^\d{8}$/.test(terminated) ? { terminated } : {}) });
  });
  for (const entry of byCode.values()) {
    const longTitle = entry.long.join(' ').replace(/\s+/g, ' ').trim();
    if (!longTitle) problems.push({ file, line: entry.line, reason: `${entry.code} has no description` });
    else
      items.push({
        code: entry.code,
        longTitle,
        shortTitle: entry.shortTitle || longTitle,
        line: entry.line,
        ...(entry.terminated ? { terminated: entry.terminated } : {}),
      });
  }
  return { items, problems };
}
