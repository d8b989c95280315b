// Coders' decisions as coded documents for the coding model: each decided encounter is read again and coded again
// with the model that made the suggestions, so each accepted or replacing code gets the evidence ranges of the
// suggestion the coder decided on. This is how a hospital teaches Chartcoder its own charts: a replaced code's
// evidence phrase becomes an evidence entry for the coder's code. Rejections add no gold.
import type { EncounterView } from '../../../../fhir';
import type { DecisionStore } from '../../../app/ports';
import { finalResult } from '../../../engine/suggest/suggestEncounter';
import type { EncounterInput } from '../../../app/readEncounter';
import { describeError } from '../../../engine/errors';
import type { OpenedSuggester as Suggester } from '../../../app/openSuggester';
import { subjectInput } from '../decisionCases';
import type { EvidenceRange, TrainingDocument } from './codedCorpus';

export interface DecisionSources {
  readonly decisions: DecisionStore;
  readonly fhirBaseUrl: string;
  readonly read: (input: EncounterInput) => Promise<EncounterView>;
  readonly suggester: Suggester;
}

const NOTE_GAP = '\n\n';

/** A coded code and the suggestion whose evidence it takes (a decision's suggestion, or the suggestion of that code). */
interface Labelled {
  readonly code: string;
  readonly suggestionId: string;
}

/** The encounter coded again; each labelled code gets the evidence of its suggestion, in the joined notes' text. */
export async function codedDocument(id: string, view: EncounterView, labels: readonly Labelled[], suggester: Suggester): Promise<TrainingDocument> {
  const result = await finalResult(suggester.suggest(view, { mode: 'retrieval' }));
  const starts = new Map<string, number>();
  let at = 0;
  for (const note of view.notes) {
    starts.set(note.id, at);
    at += note.text.length + NOTE_GAP.length;
  }
  const evidence: EvidenceRange[] = [];
  for (const { code, suggestionId } of labels) {
    for (const e of result.suggestions.find((s) => s.id === suggestionId)?.evidence ?? []) {
      const offset = starts.get(e.sourceId);
      if (offset !== undefined) evidence.push({ system: 'icd10cm', code, start: offset + e.start, end: offset + e.end });
    }
  }
  return { id, text: view.notes.map((n) => n.text).join(NOTE_GAP), gold: { icd10cm: new Set(labels.map((l) => l.code)), icd10pcs: new Set() }, evidence };
}

export async function decisionDocuments(sources: DecisionSources): Promise<{ documents: TrainingDocument[]; skipped: { subject: string; reason: string }[] }> {
  const documents: TrainingDocument[] = [];
  const skipped: { subject: string; reason: string }[] = [];
  for (const subject of sources.decisions.subjects()) {
    const decided = [...sources.decisions.forSubject(subject).values()].filter((d) => d.action !== 'reject' && d.suggestionId.startsWith('icd10cm|'));
    if (!decided.length) continue;
    const input = subjectInput(subject, sources.fhirBaseUrl);
    if (!input) {
      skipped.push({ subject, reason: 'names no encounter to read again' });
      continue;
    }
    try {
      const labels = decided.flatMap((d) => {
        const code = (d.action === 'replace' ? d.replacementCode : d.suggestionId.split('|')[1])?.toUpperCase();
        return code ? [{ code, suggestionId: d.suggestionId }] : [];
      });
      documents.push(await codedDocument(`decisions:${subject}`, await sources.read(input), labels, sources.suggester));
    } catch (err) {
      skipped.push({ subject, reason: describeError(err) });
    }
  }
  return { documents, skipped };
}
