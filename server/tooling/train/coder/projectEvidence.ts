// CodiEsp-X evidence spans are in the Spanish original; the product reads English. Each span is carried to the
// English translation: its sentence through the length-based sentence alignment, its words through IBM Model 1
// trained both ways on the aligned sentence pairs, score the English words; the phrase is the English window that
// best covers the span's words (bestWindow), as written in the translation.
import { alignByLength, lineSpans, sentenceSpans, type SentenceSpan } from '../../evaluate/sentenceAlignment';
import { probabilityOf, trainModel1, type TranslationTable } from './ibmModel1';

export interface BilingualDocument {
  readonly id: string;
  readonly spanish: string;
  /** One translated sentence per line. */
  readonly english: string;
}

interface Word {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const WORD = /[\p{L}\p{N}]+/gu;
const wordsOf = (text: string, span: SentenceSpan): Word[] =>
  [...text.slice(span.start, span.end).matchAll(WORD)].map((m) => ({
    text: m[0].toLowerCase(),
    start: span.start + m.index!,
    end: span.start + m.index! + m[0].length,
  }));

interface SegmentPair {
  readonly source: Word[];
  readonly target: Word[];
}

/** Per document: aligned segments (Spanish sentences ↔ English lines), each sentence index → its segment. */
function segmentsOf(doc: BilingualDocument): { segments: SegmentPair[]; ofSentence: Map<number, number>; sentences: SentenceSpan[] } {
  const sentences = sentenceSpans(doc.spanish);
  const lines = lineSpans(doc.english);
  const segments: SegmentPair[] = [];
  const ofSentence = new Map<number, number>();
  for (const bead of alignByLength(
    sentences.map((s) => s.end - s.start),
    lines.map((s) => s.end - s.start),
  )) {
    if (!bead.source.length || !bead.target.length) continue;
    for (const i of bead.source) ofSentence.set(i, segments.length);
    segments.push({
      source: bead.source.flatMap((i) => wordsOf(doc.spanish, sentences[i]!)),
      target: bead.target.flatMap((j) => wordsOf(doc.english, lines[j]!)),
    });
  }
  return { segments, ofSentence, sentences };
}

/** The English window (at most twice the span's words, plus three) that best covers the span's words: each Spanish
 * word scores its best partner inside the window; a longer window pays a little per word. Its edges are trimmed to
 * partners, so the phrase starts and ends on translated words. */
function bestWindow(source: readonly Word[], target: readonly Word[], score: (f: string, e: string) => number): { start: number; end: number } | undefined {
  if (!source.length || !target.length) return undefined;
  const table = source.map((f) => target.map((e) => score(f.text, e.text)));
  const maxWidth = Math.min(target.length, source.length * 2 + 3);
  let best: { from: number; to: number; value: number } | undefined;
  for (let from = 0; from < target.length; from++) {
    for (let to = from; to < Math.min(target.length, from + maxWidth); to++) {
      let value = 0;
      let covered = 0;
      for (const row of table) {
        let top = 0;
        for (let j = from; j <= to; j++) top = Math.max(top, row[j]!);
        value += top;
        if (top > 0.01) covered++;
      }
      value -= 0.02 * (to - from + 1);
      if (covered * 2 >= source.length && (!best || value > best.value)) best = { from, to, value };
    }
  }
  if (!best) return undefined;
  const partner = (j: number) => table.some((row) => row[j]! > 0.01 && row[j]! === Math.max(...row.slice(best!.from, best!.to + 1)));
  let { from, to } = best;
  while (from < to && !partner(from)) from++;
  while (to > from && !partner(to)) to--;
  return { start: target[from]!.start, end: target[to]!.end };
}

export interface Projector {
  /** The English phrase (exact range of the translation) for a Spanish span of the document, if one is found. */
  project(docId: string, spans: readonly (readonly [number, number])[]): { start: number; end: number } | undefined;
  readonly segmentPairs: number;
}

export function trainProjector(docs: readonly BilingualDocument[]): Projector {
  const byDoc = new Map(docs.map((d) => [d.id, segmentsOf(d)] as const));
  const pairs = [...byDoc.values()].flatMap((d) => d.segments.map((s) => [s.source.map((w) => w.text), s.target.map((w) => w.text)] as const));
  const forward: TranslationTable = trainModel1(pairs);
  const backward: TranslationTable = trainModel1(pairs.map(([s, t]) => [t, s] as const));
  return {
    segmentPairs: pairs.length,
    project(docId, spans) {
      const doc = byDoc.get(docId);
      if (!doc || !spans.length) return undefined;
      const sentence = doc.sentences.findIndex((s) => spans[0]![0] >= s.start && spans[0]![0] < s.end);
      const segment = doc.segments[doc.ofSentence.get(sentence) ?? -1];
      if (!segment) return undefined;
      const source = segment.source.filter((w) => spans.some(([a, b]) => w.start >= a && w.end <= b));
      return bestWindow(source, segment.target, (f, e) => Math.sqrt(probabilityOf(forward, f, e) * probabilityOf(backward, e, f)));
    },
  };
}
