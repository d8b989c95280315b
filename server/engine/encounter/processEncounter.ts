// Every note of an assembled encounter through the text pipeline. HTML notes are processed as plain text and each
// span also carries its range in the original HTML, so an editor or a FHIR extension points at the source characters.
import type { EncounterView, SourceNote } from '../../../fhir';
import { htmlToText, isHtmlContent, sourceSpan } from '../text/html';
import { processNote, type ContextualMention, type ProcessedNote } from '../text/processNote';
import type { Span } from '../text/span';
import { blankUnsafeText, findUnsafeText, type UnsafeSpan } from '../text/unsafeText';

export interface SourceSpan extends Span {
  readonly sourceId: string;
}

export interface ProcessedSourceNote {
  readonly note: Omit<SourceNote, 'text'>;
  /** The text the pipeline read: the note itself, or the text of an HTML note, with code strings and text addressed
   * to a model blanked (see `unsafe`). */
  readonly text: string;
  /** Passages left unread: code strings and instructions to a model. */
  readonly unsafe: readonly UnsafeSpan[];
  readonly processed: ProcessedNote;
  /** For each mention (same order), its range in the original note. */
  readonly mentionSources: readonly SourceSpan[];
  /** Any range of `text` as its range in the original note (HTML offsets for an HTML note; the mapping is made once). */
  readonly toSource: (span: Span) => SourceSpan;
}

export interface ProcessedEncounter {
  readonly view: EncounterView;
  readonly notes: readonly ProcessedSourceNote[];
}

export function processSourceNote(note: SourceNote, lexicon: ReadonlySet<string>): ProcessedSourceNote {
  const { text: _original, ...meta } = note;
  const mapped = isHtmlContent(note.contentType) ? htmlToText(note.text) : undefined;
  const readable = mapped ? mapped.text : note.text;
  const unsafe = findUnsafeText(readable);
  const text = unsafe.length ? blankUnsafeText(readable, unsafe) : readable;
  const processed = processNote(text, lexicon);
  const toSource = (span: Span): SourceSpan => ({ sourceId: note.id, ...(mapped ? sourceSpan(mapped, span) : { start: span.start, end: span.end }) });
  return { note: meta, text, unsafe, processed, mentionSources: processed.mentions.map((m: ContextualMention) => toSource(m)), toSource };
}

export function processEncounter(view: EncounterView, lexicon: ReadonlySet<string>): ProcessedEncounter {
  return { view, notes: view.notes.map((note) => processSourceNote(note, lexicon)) };
}

/** One line per note with passages left unread, for the result's degradations (a coder sees what was not read). */
export function unreadPassages(encounter: ProcessedEncounter): string[] {
  return encounter.notes.flatMap((note) => {
    if (!note.unsafe.length) return [];
    const kinds = [...new Set(note.unsafe.map((u) => (u.kind === 'code-string' ? 'code strings' : 'text addressed to a model')))].join(' and ');
    const where = note.unsafe
      .slice(0, 5)
      .map((u) => {
        const s = note.toSource(u);
        return `${s.start}–${s.end}`;
      })
      .join(', ');
    return [
      `${note.note.id}: ${note.unsafe.length} passage(s) not read as documentation (${kinds}; characters ${where}${note.unsafe.length > 5 ? ', …' : ''})`,
    ];
  });
}
