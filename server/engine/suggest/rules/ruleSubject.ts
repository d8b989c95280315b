// What the coding rules see of a suggestion: its code, its document lineage (for inherited tabular notes) and
// what the note said about it.
import type { MentionModifiers } from '../../text/mentions';
import type { CodeSystemKey, KnowledgeDoc, NoteKind } from '../../retrieve/knowledgeDoc';
import type { RuleFinding } from '../suggestion';

export interface RuleSubject {
  readonly system: CodeSystemKey;
  readonly code: string;
  readonly display: string;
  /** The code's document first, then its ancestors'. */
  readonly lineage: readonly KnowledgeDoc[];
  readonly modifiers: MentionModifiers;
}

export interface PatientFacts {
  readonly ageAtService?: number;
  /** FHIR administrative gender. */
  readonly sex?: string;
}

export type FindingsByIndex = ReadonlyMap<number, readonly RuleFinding[]>;

export interface InheritedNote {
  readonly text: string;
  /** The code whose tabular entry carries the note. */
  readonly at: string;
}

export function notesOf(subject: RuleSubject, kind: NoteKind): InheritedNote[] {
  return subject.lineage.flatMap((doc) => (doc.notes ?? []).filter((n) => n.kind === kind).map((n) => ({ text: n.text, at: doc.code ?? doc.id })));
}

export function collect(entries: Iterable<readonly [number, RuleFinding]>): Map<number, RuleFinding[]> {
  const out = new Map<number, RuleFinding[]>();
  for (const [index, finding] of entries) out.set(index, [...(out.get(index) ?? []), finding]);
  return out;
}
