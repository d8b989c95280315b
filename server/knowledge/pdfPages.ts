// PDF → lines per page with pdf.js (Mozilla's kept PDF library), dropping the running header the guidelines print.
import type { PageLines } from './guidelineSections';

const RUNNING_HEADER = [/^ICD-10-CM Official Guidelines for Coding and Reporting$/, /^FY \d{4}$/, /^Page \d+ of \d+$/];

export async function readPdfPages(bytes: Uint8Array): Promise<PageLines[]> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const document = await getDocument({ data: bytes, verbosity: 0, isEvalSupported: false }).promise;
  const pages: PageLines[] = [];
  try {
    for (let page = 1; page <= document.numPages; page++) {
      const content = await (await document.getPage(page)).getTextContent();
      let text = '';
      for (const item of content.items) if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '');
      const lines = text
        .split('\n')
        .map((line) => line.replace(/\s+/g, ' ').trim())
        .filter(Boolean);
      const body = lines.slice(0, 3).every((line, i) => RUNNING_HEADER[i]!.test(line)) ? lines.slice(3) : lines;
      pages.push({ page, lines: body });
    }
  } finally {
    await document.destroy();
  }
  return pages;
}
