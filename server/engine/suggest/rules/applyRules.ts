// The coding rules over the whole set of an encounter's suggestions: combination codes first, then unspecified codes
// whose documented details one sibling names in full (both change codes), then duplicates merge and redundant
// unspecified codes fold into specific ones, then Excludes1, pairing, unspecified-but-documented, age/sex edits and
// integral symptoms add findings (an integral symptom's confidence is halved, so it sorts below the diagnosis it
// belongs to).
import type { MentionModifiers } from '../../text/mentions';
import type { CodeBook } from '../codeBook';
import type { RuleFinding, Suggestion } from '../suggestion';
import { ageSexFindings } from './ageSex';
import { combinationReplacements } from './combination';
import { excludes1Conflicts } from './excludes1';
import { integralSymptomFindings } from './integralSymptoms';
import { pairingFindings } from './pairing';
import type { PatientFacts, RuleSubject } from './ruleSubject';
import { foldRedundantUnspecified, promoteDocumentedSpecific, unspecifiedButDocumented } from './specificity';

export interface RuleInput {
  readonly suggestions: readonly Suggestion[];
  /** The documented modifiers behind each suggestion (same order). */
  readonly modifiers: readonly MentionModifiers[];
  readonly book: CodeBook;
  readonly patient: PatientFacts;
  /** No combination or promotion of codes and no confidence change: for a trained ranker, which already learned from
   * coded charts which rival codes coders report and whose probability is calibrated. An unspecified code beside a
   * documented specific one of its subcategory still folds into it (Guidelines I.B.18), whatever a corpus did. */
  readonly findingsOnly?: boolean;
}

const subjectsOf = (suggestions: readonly Suggestion[], modifiers: readonly MentionModifiers[], book: CodeBook): RuleSubject[] =>
  suggestions.map((s, i) => ({ system: s.system, code: s.code, display: s.display, lineage: book.lineage(s.system, s.code), modifiers: modifiers[i] ?? {} }));

const replaced = (s: Suggestion, code: string, title: string, finding: RuleFinding): Suggestion => ({
  ...s,
  id: `${s.system}|${code}`,
  code,
  display: title,
  findings: [...s.findings, finding],
  alternatives: [{ code: s.code, display: s.display, score: 0 }, ...s.alternatives.filter((a) => a.code !== code)],
});

function replaceCombinations(input: RuleInput): Suggestion[] {
  const replacements = combinationReplacements(subjectsOf(input.suggestions, input.modifiers, input.book));
  return input.suggestions.map((s, i) => {
    const r = replacements.find((x) => x.index === i);
    const entry = r && input.book.catalog(s.system).lookup(r.code);
    return r && entry ? replaced(s, entry.code, entry.title, r.finding) : s;
  });
}

function promoteSpecific(suggestions: readonly Suggestion[], input: RuleInput): Suggestion[] {
  const promotions = promoteDocumentedSpecific(subjectsOf(suggestions, input.modifiers, input.book), input.book);
  return suggestions.map((s, i) => {
    const p = promotions.get(i);
    return p ? replaced(s, p.code, p.title, p.finding) : s;
  });
}

/** One suggestion per code: evidence and guidance pooled, the higher confidence kept. */
export function mergeByCode(
  suggestions: readonly Suggestion[],
  modifiers: readonly MentionModifiers[],
): { suggestions: Suggestion[]; modifiers: MentionModifiers[] } {
  const byId = new Map<string, { s: Suggestion; m: MentionModifiers }>();
  suggestions.forEach((s, i) => {
    const current = byId.get(s.id);
    if (!current) {
      byId.set(s.id, { s, m: modifiers[i] ?? {} });
      return;
    }
    const spans = new Set(current.s.evidence.map((e) => `${e.sourceId}|${e.start}|${e.end}`));
    const guidance = new Set(current.s.guidance.map((g) => g.id));
    const findings = new Set(current.s.findings.map((f) => f.message));
    const better = s.confidence > current.s.confidence ? s : current.s;
    byId.set(s.id, {
      m: { ...(modifiers[i] ?? {}), ...current.m },
      s: {
        ...better,
        evidence: [...current.s.evidence, ...s.evidence.filter((e) => !spans.has(`${e.sourceId}|${e.start}|${e.end}`))],
        guidance: [...current.s.guidance, ...s.guidance.filter((g) => !guidance.has(g.id))],
        findings: [...current.s.findings, ...s.findings.filter((f) => !findings.has(f.message))],
      },
    });
  });
  const merged = [...byId.values()];
  return { suggestions: merged.map((x) => x.s), modifiers: merged.map((x) => x.m) };
}

export function applyRules(input: RuleInput): Suggestion[] {
  const byCode = mergeByCode(input.findingsOnly ? input.suggestions : promoteSpecific(replaceCombinations(input), input), input.modifiers);
  const folded = foldRedundantUnspecified(byCode.suggestions, input.book);
  const merged = { suggestions: folded, modifiers: folded.map((s) => byCode.modifiers[byCode.suggestions.findIndex((x) => x.id === s.id)] ?? {}) };
  const subjects = subjectsOf(merged.suggestions, merged.modifiers, input.book);
  const maps = [
    excludes1Conflicts(subjects),
    pairingFindings(subjects),
    unspecifiedButDocumented(subjects, input.book),
    ageSexFindings(subjects, input.patient),
    integralSymptomFindings(subjects),
  ];
  return merged.suggestions.map((s, i) => {
    const added = maps.flatMap((m) => m.get(i) ?? []);
    if (!added.length) return s;
    const integral = !input.findingsOnly && added.some((f) => f.rule === 'symptom-integral');
    return { ...s, findings: [...s.findings, ...added], ...(integral ? { confidence: Number((s.confidence / 2).toFixed(4)) } : {}) };
  });
}

/** Sequencing (Official Guidelines I.A.13): a code whose "code first" note is paired with another suggested code
 * comes after that code; otherwise diagnoses come first, symptoms integral to another diagnosis last, then by
 * confidence. */
export function sequence(suggestions: readonly Suggestion[]): Suggestion[] {
  const integral = (s: Suggestion) => (s.findings.some((f) => f.rule === 'symptom-integral') ? 1 : 0);
  const out = [...suggestions].sort((a, b) =>
    a.kind !== b.kind ? (a.kind === 'diagnosis' ? -1 : 1) : integral(a) - integral(b) || b.confidence - a.confidence,
  );
  for (const s of [...out]) {
    const first = s.findings.filter((f) => f.rule === 'code-first' && f.message.includes('paired with')).flatMap((f) => f.relatedCodes ?? []);
    for (const code of first) {
      const at = out.indexOf(s);
      const partner = out.findIndex((x) => x.code === code);
      if (partner > at) out.splice(at, 0, ...out.splice(partner, 1));
    }
  }
  return out;
}
