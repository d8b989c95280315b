// Suggestions as the editor's tree, decorations and review panel show them (protocol.SuggestionItem): only what the
// UI needs, with the coder's decision attached.
import type { EncounterView } from '../../fhir';
import type { Suggestion } from '../engine/suggest/suggestion';
import type { ClaimParties, Decision, SuggestionItem } from '../protocol';
import type { DocumentEncounter } from './documents/documentEncounter';
import { placedEvidence } from './evidenceRanges';

/** Evidence ranges are the document's own (a note's offsets moved to where the note shows in it). */
export const suggestionItem = (s: Suggestion, decision: Decision | null, encounter: DocumentEncounter): SuggestionItem => ({
  id: s.id,
  code: s.code,
  system: s.system,
  systemUri: s.systemUri,
  display: s.display,
  kind: s.kind,
  confidence: s.confidence,
  rationale: s.rationale,
  evidence: placedEvidence(encounter, s).map((p) => ({ start: p.location.start, end: p.location.end, text: p.text })),
  findings: s.findings.map((f) => ({ severity: f.severity, message: f.message, rule: f.rule })),
  alternatives: s.alternatives.map((a) => ({ code: a.code, display: a.display })),
  ...(s.provenance.model ? { model: s.provenance.model } : {}),
  decision,
});

export function claimPartiesOf(view: EncounterView | undefined): ClaimParties | undefined {
  if (!view?.patient) return undefined;
  const billing = view.billing;
  return {
    encounter: view.encounter.reference,
    patient: view.patient.reference,
    coverage: billing?.coverage ?? [],
    ...(billing?.provider ? { provider: billing.provider } : {}),
    ...(billing?.insurer ? { insurer: billing.insurer } : {}),
  };
}
