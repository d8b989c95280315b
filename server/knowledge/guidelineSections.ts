// Splits the ICD-10-CM Official Guidelines text into sections by their printed numbering:
// Section I → A. → 1. → a. → 1) → (a) → (i), e.g. "I.C.9.a.1". A line is a heading only when its number is the
// expected successor at its level, so body sentences that start with "2." do not open sections.
export interface PageLines {
  readonly page: number;
  readonly lines: readonly string[];
}

export interface GuidelineSection {
  readonly section: string;
  readonly title: string;
  readonly page: number;
  readonly text: string;
}

interface Level {
  readonly pattern: RegExp;
  readonly first: string;
  readonly render: (value: string) => string;
}

const LEVELS: readonly Level[] = [
  { pattern: /^Section (I|II|III|IV)\.\s+(\S.*)$/, first: 'I', render: (v) => v },
  { pattern: /^([A-Z])\.\s+(\S.*)$/, first: 'A', render: (v) => v },
  { pattern: /^(\d{1,2})\.\s+(\S.*)$/, first: '1', render: (v) => v },
  { pattern: /^([a-z])\.\s+(\S.*)$/, first: 'a', render: (v) => v },
  { pattern: /^(\d{1,2})\)\s+(\S.*)$/, first: '1', render: (v) => v },
  { pattern: /^\(([a-z])\)\s+(\S.*)$/, first: 'a', render: (v) => `(${v})` },
  { pattern: /^\((i|ii|iii|iv|v|vi|vii|viii|ix|x)\)\s+(\S.*)$/, first: 'i', render: (v) => `(${v})` },
];

const ROMAN = ['i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix', 'x'];
const SECTIONS = ['I', 'II', 'III', 'IV'];

function successor(value: string): string {
  if (/^\d+$/.test(value)) return String(Number(value) + 1);
  if (SECTIONS.includes(value)) return SECTIONS[SECTIONS.indexOf(value) + 1] ?? '';
  if (ROMAN.includes(value)) return ROMAN[ROMAN.indexOf(value) + 1] ?? '';
  return String.fromCharCode(value.charCodeAt(0) + 1);
}

interface Heading {
  readonly depth: number;
  readonly value: string;
  readonly title: string;
}

function headingAt(line: string, stack: readonly string[]): Heading | undefined {
  const appendix = /^Appendix ([IVX]+)$/.exec(line);
  if (appendix) return { depth: 0, value: `Appendix ${appendix[1]}`, title: line };
  for (let depth = 0; depth < LEVELS.length; depth++) {
    const match = LEVELS[depth]!.pattern.exec(line);
    if (!match || depth > stack.length) continue;
    const value = match[1]!;
    const current = stack[depth];
    const expected = depth === stack.length ? LEVELS[depth]!.first : successor(current!);
    if (value === expected) return { depth, value, title: match[2]!.trim() };
  }
  return undefined;
}

/** Table-of-contents lines end in dot leaders and a page number. */
const isContentsLine = (line: string): boolean => /\.{4,}\s*\d+\s*$/.test(line);

export function splitGuidelineSections(pages: readonly PageLines[]): GuidelineSection[] {
  const lastContentsPage = Math.max(0, ...pages.filter((p) => p.lines.some(isContentsLine)).map((p) => p.page));
  const sections: { section: string; title: string; page: number; body: string[] }[] = [];
  const stack: string[] = [];
  for (const { page, lines } of pages) {
    if (page <= lastContentsPage) continue;
    for (const line of lines) {
      const heading = headingAt(line, stack);
      if (heading) {
        stack.length = heading.depth;
        stack.push(heading.value);
        const section = stack.map((value, depth) => LEVELS[depth]!.render(value)).join('.');
        sections.push({ section, title: heading.title, page, body: [line] });
      } else {
        sections.at(-1)?.body.push(line);
      }
    }
  }
  const seen = new Map<string, number>();
  return sections.map(({ section, title, page, body }) => {
    const count = (seen.get(section) ?? 0) + 1;
    seen.set(section, count);
    return { section: count === 1 ? section : `${section}~${count}`, title, page, text: body.join('\n').trim() };
  });
}
