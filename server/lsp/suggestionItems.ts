// Suggestions as the editor's tree, decorations and review panel show them (protocol.SuggestionItem): only what the
// UI needs, with the coder's decision attached.
import type { EncounterView } from '../../fhir';
import type { Suggestion } from '../engine/suggest/suggestion';
import type { ClaimParties, Decision, SuggestionItem } from '../protocol';

export const suggestionItem = (s: Suggestion, decision: Decision | null): SuggestionItem => ({
  id: s.id, code: s.code, system: s.system, systemUri: s.systemUri, display: s.display, kind: s.kind, confidence: s.confidence, rationale: s.rationale,
  evidence: s.evidence.map((e) => ({ start: e.start, end: e.end, text: e.text })),
  findings: s.findings.map((f) => ({ severity: f.severity, message: f.message, rule: f.rule })),
  alternatives: s.alternatives.map((a) => ({ code: a.code, display: a.display })),
  ...(s.provenance.model ? { model: s.provenance.model } : {}),
  decision,
});

export function claimPartiesOf(view: EncounterView | undefined): ClaimParties | undefined {
  if (!view?.patient) return undefined;
  const billing = view.billing;
  return {
    encounter: view.encounter.reference, patient: view.patient.reference, coverage: billing?.coverage ?? [],
    ...(billing?.provider ? { provider: billing.provider } : {}), ...(billing?.insurer ? { insurer: billing.insurer } : {}),
  };
}
