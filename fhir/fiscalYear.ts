// The ICD-10-CM/PCS code-set fiscal year in force on a date of service: FY N runs from October 1 of N−1 to
// September 30 of N. The date is read as written (the local date of service), never shifted through a time zone.
export function codeSetFiscalYear(date: string | undefined): number | undefined {
  const match = /^(\d{4})-(\d{2})/.exec(date ?? '');
  if (!match) return undefined;
  const year = Number(match[1]);
  return Number(match[2]) >= 10 ? year + 1 : year;
}
