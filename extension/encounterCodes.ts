// The coder's view of one document's suggestions, free of VS Code: grouped by review status for the tree, the
// decorations' status per evidence range, "accept all above a confidence", and the final code set for export.
import type { SuggestionItem, SuggestionsAnswer } from '../server/protocol';

export type ReviewStatus = 'pending' | 'accepted' | 'rejected';

export const REVIEW_STATUSES: readonly ReviewStatus[] = ['pending', 'accepted', 'rejected'];

/** A replacement is an accepted decision for the code chosen instead. */
export const statusOf = (item: SuggestionItem): ReviewStatus => (!item.decision ? 'pending' : item.decision.action === 'reject' ? 'rejected' : 'accepted');

export interface StatusGroup {
  readonly status: ReviewStatus;
  readonly label: string;
  readonly items: readonly SuggestionItem[];
}

const byConfidence = (a: SuggestionItem, b: SuggestionItem) => b.confidence - a.confidence || a.code.localeCompare(b.code);

export function groupByStatus(items: readonly SuggestionItem[]): StatusGroup[] {
  return REVIEW_STATUSES.map((status) => {
    const mine = items.filter((i) => statusOf(i) === status).sort(byConfidence);
    return { status, label: `${status[0]!.toUpperCase()}${status.slice(1)} (${mine.length})`, items: mine };
  });
}

/** The label a code shows: the code chosen (the replacement, when replaced) and its title. */
export function codeLabel(item: SuggestionItem): { label: string; description: string } {
  const replaced = item.decision?.action === 'replace' && item.decision.replacementCode;
  const warnings = item.findings.filter((f) => f.severity !== 'info').length;
  return {
    label: replaced ? `${item.decision!.replacementCode} (replaces ${item.code})` : `${item.code} ${item.display}`,
    description: `${Math.round(item.confidence * 100)}%${warnings ? ` · ${warnings} to review` : ''}`,
  };
}

/** Pending suggestions at or above the confidence with no warning or error to review first. */
export const acceptableAbove = (items: readonly SuggestionItem[], minConfidence: number): SuggestionItem[] =>
  items.filter((i) => statusOf(i) === 'pending' && i.confidence >= minConfidence && !i.findings.some((f) => f.severity !== 'info'));

export interface FinalCode {
  readonly system: SuggestionItem['system'];
  readonly systemUri: string;
  readonly code: string;
  readonly display: string;
  readonly kind: SuggestionItem['kind'];
  readonly decidedBy: string;
}

/** The accepted codes (replacements in place of what they replace), diagnoses first, in suggestion order. */
export function finalCodeSet(items: readonly SuggestionItem[]): FinalCode[] {
  return items
    .filter((i) => statusOf(i) === 'accepted')
    .map((i) => {
      const replacement = i.decision?.action === 'replace' ? i.decision.replacementCode : undefined;
      const display = replacement ? (i.alternatives.find((a) => a.code === replacement)?.display ?? '') : i.display;
      return { system: i.system, systemUri: i.systemUri, code: replacement ?? i.code, display, kind: i.kind, decidedBy: i.decision!.user };
    })
    .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'diagnosis' ? -1 : 1));
}

/** Evidence ranges with the status colour they are drawn in. */
export function evidenceRanges(items: readonly SuggestionItem[]): { status: ReviewStatus; start: number; end: number; code: string }[] {
  return items.flatMap((i) => i.evidence.map((e) => ({ status: statusOf(i), start: e.start, end: e.end, code: i.code })));
}

/** The line above the tree: still coding, or what the suggestions were made without (a service down, a leg off). */
export function treeMessage(answer: SuggestionsAnswer | undefined): string | undefined {
  if (!answer) return undefined;
  if (answer.version === null) return 'Coding this document…';
  return answer.degradations.length ? `Degraded: ${answer.degradations.join('; ')}` : undefined;
}
