// The matching form of clinical words: accents folded, lower-case, British spellings made American, abbreviations
// expanded (one written word may stand for several terms), stopwords dropped, Porter-stemmed. The same function
// reads a note, an evidence phrase, an Index path and a code title, so they meet on the same terms.
import { stemmer } from 'stemmer';
import ABBREVIATIONS from '../text/abbreviations.json';
import type { Span } from '../text/span';

const EXPANSIONS: ReadonlyMap<string, string> = new Map(Object.entries(ABBREVIATIONS as Record<string, string>).filter(([key]) => !key.startsWith('_')));

/** Function words; "no", "not" and "without" are here too: negation is the assertion layer's job, not the matcher's. */
const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been being but by for from had has have he her his i if in into is it its of on or our she so ' +
    'than that the their them then there these they this those to was we were which while who whom with within ' +
    'no not without nos nec unspecified other specified'
  ).split(' '),
);

/** British → American spellings the CodiEsp translation and UK-trained writers use (haemorrhage, oedema, tumour). */
const SPELLINGS: readonly (readonly [RegExp, string])[] = [
  [/^haem/, 'hem'],
  [/^anaem/, 'anem'],
  [/^oedem/, 'edem'],
  [/^oesophag/, 'esophag'],
  [/^oestr/, 'estr'],
  [/^foet/, 'fet'],
  [/^paed/, 'ped'],
  [/^orthopaed/, 'orthoped'],
  [/^diarrhoea/, 'diarrhea'],
  [/^dyspnoea/, 'dyspnea'],
  [/^apnoea/, 'apnea'],
  [/^leukaem/, 'leukem'],
  [/^ischaem/, 'ischem'],
  [/^septicaem/, 'septicem'],
  [/our$/, 'or'],
  [/^tumour/, 'tumor'],
  [/^coeliac/, 'celiac'],
  [/^caesarean/, 'cesarean'],
  [/^anaesthe/, 'anesthe'],
  [/^faec/, 'fec'],
  [/^leuco/, 'leuko'],
  [/^aetiolog/, 'etiolog'],
  [/^gynaecolog/, 'gynecolog'],
  [/^haematolog/, 'hematolog'],
];

const americanSpelling = (word: string): string => {
  let out = word;
  for (const [pattern, replacement] of SPELLINGS) out = out.replace(pattern, replacement);
  return out;
};

/** Latin and Greek plurals and irregular forms the Porter stemmer leaves apart from their singular or base form, and
 * the Roman numerals of types and stages ("type II diabetes", "stage III"). */
const BASE_FORMS: ReadonlyMap<string, string> = new Map([
  ['metastases', 'metastasis'],
  ['stenoses', 'stenosis'],
  ['thromboses', 'thrombosis'],
  ['diagnoses', 'diagnosis'],
  ['prognoses', 'prognosis'],
  ['anastomoses', 'anastomosis'],
  ['prostheses', 'prosthesis'],
  ['fibroses', 'fibrosis'],
  ['necroses', 'necrosis'],
  ['psychoses', 'psychosis'],
  ['neuroses', 'neurosis'],
  ['paralyses', 'paralysis'],
  ['dialyses', 'dialysis'],
  ['varices', 'varix'],
  ['appendices', 'appendix'],
  ['cervices', 'cervix'],
  ['bronchi', 'bronchus'],
  ['calculi', 'calculus'],
  ['thrombi', 'thrombus'],
  ['emboli', 'embolus'],
  ['fungi', 'fungus'],
  ['nuclei', 'nucleus'],
  ['diverticula', 'diverticulum'],
  ['phalanges', 'phalanx'],
  ['vertebrae', 'vertebra'],
  ['fistulae', 'fistula'],
  ['bullae', 'bulla'],
  ['ii', '2'],
  ['iii', '3'],
  ['fell', 'fall'],
  ['fallen', 'fall'],
  ['bitten', 'bite'],
  ['burnt', 'burn'],
  ['stung', 'sting'],
]);

/** Anatomical adjectives and the organ they name, since the Index and titles name the organ where notes use the
 * adjective ("renal cyst" → "Cyst, kidney"): the adjective's word also stands for the organ. */
const ORGAN_OF_ADJECTIVE: ReadonlyMap<string, string> = new Map([
  ['renal', 'kidney'],
  ['hepatic', 'liver'],
  ['pulmonary', 'lung'],
  ['cardiac', 'heart'],
  ['gastric', 'stomach'],
  ['cerebral', 'brain'],
  ['ocular', 'eye'],
  ['cutaneous', 'skin'],
  ['vesical', 'bladder'],
  ['splenic', 'spleen'],
  ['pancreatic', 'pancreas'],
  ['ovarian', 'ovary'],
  ['uterine', 'uterus'],
  ['bronchial', 'bronchus'],
  ['tracheal', 'trachea'],
  ['esophageal', 'esophagus'],
  ['duodenal', 'duodenum'],
  ['colonic', 'colon'],
  ['rectal', 'rectum'],
  ['testicular', 'testis'],
  ['vertebral', 'vertebra'],
  ['femoral', 'femur'],
  ['tibial', 'tibia'],
  ['nasal', 'nose'],
  ['laryngeal', 'larynx'],
  ['pharyngeal', 'pharynx'],
  ['abdominal', 'abdomen'],
  ['pelvic', 'pelvis'],
  ['mammary', 'breast'],
  ['intestinal', 'intestine'],
  ['osseous', 'bone'],
  ['venous', 'vein'],
  ['arterial', 'artery'],
  ['scrotal', 'scrotum'],
  ['penile', 'penis'],
  ['vaginal', 'vagina'],
  ['retinal', 'retina'],
  ['corneal', 'cornea'],
  ['palpebral', 'eyelid'],
  ['gingival', 'gum'],
  ['lingual', 'tongue'],
  ['dental', 'tooth'],
  ['thoracic', 'thorax'],
]);

const fold = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

const STEMS = new Map<string, readonly string[]>();

/** The terms one written word stands for (none for a stopword). */
export function wordTerms(word: string): readonly string[] {
  const folded = fold(word);
  const cached = STEMS.get(folded);
  if (cached) return cached;
  const expansion = EXPANSIONS.get(folded);
  const words = expansion
    ? fold(expansion)
        .split(/[^a-z0-9]+/)
        .filter(Boolean)
    : [BASE_FORMS.get(folded) ?? folded];
  const terms = words
    .filter((w) => !STOPWORDS.has(w))
    .flatMap((w) => {
      const organ = ORGAN_OF_ADJECTIVE.get(w);
      const stem = stemmer(americanSpelling(w));
      return organ && stemmer(organ) !== stem ? [stem, stemmer(organ)] : [stem];
    });
  if (STEMS.size < 200_000) STEMS.set(folded, terms);
  return terms;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** A phrase's terms as a sorted set: what a dictionary entry is keyed by (word order does not count). */
export function phraseTerms(phrase: string): string[] {
  const terms = new Set<string>();
  for (const m of phrase.matchAll(WORD)) for (const t of wordTerms(m[0])) terms.add(t);
  return [...terms].sort();
}

export interface NoteTerm extends Span {
  readonly term: string;
  /** Index of the sentence holding it. */
  readonly sentence: number;
  /** Position among the sentence's terms (distance between matched words). */
  readonly position: number;
}

/** Every term of a note with the exact range of the word it comes from, sentence by sentence. */
export function noteTerms(text: string, sentences: readonly Span[]): NoteTerm[] {
  const out: NoteTerm[] = [];
  sentences.forEach((sentence, s) => {
    let position = 0;
    WORD.lastIndex = 0;
    for (const m of text.slice(sentence.start, sentence.end).matchAll(WORD)) {
      const start = sentence.start + m.index!;
      const terms = wordTerms(m[0]);
      for (const term of terms) out.push({ term, start, end: start + m[0].length, sentence: s, position });
      if (terms.length) position++;
    }
  });
  return out;
}
