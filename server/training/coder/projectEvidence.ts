// CodiEsp-X evidence spans are in the Spanish original; the product reads English. Each span is carried to the
// English translation: its sentence through the length-based sentence alignment, its words through IBM Model 1
// trained both ways on the aligned sentence pairs (a word's English partner maximises t(e|s)·t(s|e)); the English
// phrase runs from the first to the last partner, as written in the translation.
import { alignByLength, lineSpans, sentenceSpans, type SentenceSpan } from '../../eval/sentenceAlignment';
import { probabilityOf, trainModel1, type TranslationTable } from './ibmModel1';

export interface BilingualDocument {
  readonly id: string;
  readonly spanish: string;
  /** One translated sentence per line. */
  readonly english: string;
}

interface Word { readonly text: string; readonly start: number; readonly end: number }

const WORD = /[\p{L}\p{N}]+/gu;
const wordsOf = (text: string, span: SentenceSpan): Word[] =>
  [...text.slice(span.start, span.end).matchAll(WORD)].map((m) => ({ text: m[0].toLowerCase(), start: span.start + m.index!, end: span.start + m.index! + m[0].length }));

interface SegmentPair { readonly source: Word[]; readonly target: Word[] }

/** Per document: aligned segments (Spanish sentences ↔ English lines), each sentence index → its segment. */
function segmentsOf(doc: BilingualDocument): { segments: SegmentPair[]; ofSentence: Map<number, number>; sentences: SentenceSpan[] } {
  const sentences = sentenceSpans(doc.spanish);
  const lines = lineSpans(doc.english);
  const segments: SegmentPair[] = [];
  const ofSentence = new Map<number, number>();
  for (const bead of alignByLength(sentences.map((s) => s.end - s.start), lines.map((s) => s.end - s.start))) {
    if (!bead.source.length || !bead.target.length) continue;
    for (const i of bead.source) ofSentence.set(i, segments.length);
    segments.push({ source: bead.source.flatMap((i) => wordsOf(doc.spanish, sentences[i]!)), target: bead.target.flatMap((j) => wordsOf(doc.english, lines[j]!)) });
  }
  return { segments, ofSentence, sentences };
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
      const partners: Word[] = [];
      for (const s of source) {
        let bestWord: Word | undefined;
        let bestScore = 0;
        for (const e of segment.target) {
          const score = probabilityOf(forward, s.text, e.text) * probabilityOf(backward, e.text, s.text);
          if (score > bestScore) { bestScore = score; bestWord = e; }
        }
        if (bestWord && bestScore > 1e-4) partners.push(bestWord);
      }
      if (!partners.length) return undefined;
      const start = Math.min(...partners.map((w) => w.start));
      const end = Math.max(...partners.map((w) => w.end));
      const width = segment.target.filter((w) => w.start >= start && w.end <= end).length;
      return width <= source.length * 2 + 3 ? { start, end } : undefined;
    },
  };
}
