// Where a suggestion's evidence shows in the open document, through the document's own encounter mapping.
import type { Suggestion } from '../engine/suggest/suggestion';
import type { DocumentEncounter, EvidenceLocation } from './documents/documentEncounter';

export interface PlacedEvidence {
  readonly location: EvidenceLocation;
  readonly text: string;
}

export function placedEvidence(encounter: DocumentEncounter, s: Suggestion): PlacedEvidence[] {
  return s.evidence.flatMap((e) => {
    const location = encounter.evidenceLocation(e);
    return location ? [{ location, text: e.text }] : [];
  });
}

export function suggestionsAtOffset(encounter: DocumentEncounter, suggestions: readonly Suggestion[], offset: number): Suggestion[] {
  return suggestions.filter((s) => placedEvidence(encounter, s).some((p) => offset >= p.location.start && offset <= p.location.end));
}
