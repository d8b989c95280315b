// The billable ICD-10-CM codes of a fiscal year, straight from its order file.
import { readReleaseFor } from '../../knowledge/release';
import { parseOrderFile } from '../../knowledge/orderFile';
import { readSourceText } from '../../knowledge/readSource';

export function codesOfFiscalYear(projectRoot: string, cacheDir: string, fy: number): Set<string> {
  const release = readReleaseFor({ fy, projectRoot, cacheDir });
  const order = release.manifest.icd10cm.order;
  const { items } = parseOrderFile(readSourceText(release.resolve(order), 'latin1'), order, 'icd10cm');
  return new Set(items.filter((e) => e.billable).map((e) => e.code));
}
