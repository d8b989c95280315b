// The adapter's training examples for the judge: a training document's uncertain sentences, chosen from its
// out-of-fold probabilities exactly as `train judge` and inference choose them, in exactly the inference prompt.
// The target is the answer the schema asks for: for each sentence, the letter of its most probable gold candidate,
// or N when none of its candidates is gold. Alphabetic Index paths, in the same format, teach term → code.
import { createHash } from 'node:crypto';
import { categoryOfCode } from '../../../engine/coder/features';
import type { JudgeBlend } from '../../../engine/coder/judgeBlend';
import type { CodeBook } from '../../../engine/suggest/codeBook';
import { answerKey, judgePrompt, letterOf, NONE_LETTER, type JudgedSentence } from '../../../engine/suggest/judgePrompt';
import type { LearnedCoder } from '../../../engine/suggest/learnedSuggestions';
import { coderUncertainGroups, judgedSentence } from '../../../engine/suggest/judgeUncertain';
import { outOfFoldPooled, type RowsInput } from './judgeRows';

/** One example of the tuned model's tasks, in exactly its inference prompt: `variant` names the task. */
export interface TunedExample<Variant extends 'judge' | 'free'> {
  readonly id: string;
  readonly docId: string;
  readonly variant: Variant;
  readonly system: string;
  readonly user: string;
  readonly schema: Record<string, unknown>;
  readonly target: Record<string, string>;
  readonly templateVersion: number;
}

export type JudgeExample = TunedExample<'judge'>;

export interface JudgeExampleCounts {
  documents: number;
  /** Documents without an uncertain sentence: no example. */
  nothingUncertain: number;
  sentences: number;
  /** Sentences whose answer is a gold candidate; the rest are answered N. */
  goldLetter: number;
}

export const noJudgeExamples = (): JudgeExampleCounts => ({ documents: 0, nothingUncertain: 0, sentences: 0, goldLetter: 0 });

export type ExampleInput = Pick<RowsInput, 'id' | 'encounter' | 'coder' | 'book' | 'outOfFold' | 'gold'> & {
  readonly shape: Pick<JudgeBlend, 'band' | 'maxPerSentence' | 'maxSentences'>;
};

export function judgeExample(input: ExampleInput, counts: JudgeExampleCounts): JudgeExample | undefined {
  counts.documents++;
  const pooled = outOfFoldPooled(input);
  const groups = coderUncertainGroups(pooled, input.coder, input.shape);
  if (!groups.length) {
    counts.nothingUncertain++;
    return undefined;
  }
  const target: Record<string, string> = {};
  groups.forEach((group, i) => {
    const gold = group.candidates.findIndex((p) => input.gold[p.system].has(p.code));
    target[answerKey(i)] = gold >= 0 ? letterOf(gold) : NONE_LETTER;
    counts.sentences++;
    if (gold >= 0) counts.goldLetter++;
  });
  return exampleOf(
    `${input.id}#judge`,
    input.id,
    groups.map((g) => judgedSentence(input, g)),
    target,
  );
}

function exampleOf(id: string, docId: string, sentences: readonly JudgedSentence[], target: Record<string, string>): JudgeExample {
  const prompt = judgePrompt(sentences);
  return { id, docId, variant: 'judge', system: prompt.system, user: prompt.user, schema: prompt.schema, target, templateVersion: prompt.templateVersion };
}

const SENTENCES_PER_INDEX_EXAMPLE = 5;
const RIVALS = 3;

/** A number in [0, 1) from a seed and a key: the same inputs always give the same choice. */
function seeded(seed: number, key: string): number {
  return createHash('sha256').update(`${seed}:${key}`).digest().readUInt32BE(0) / 2 ** 32;
}

/** An Alphabetic Index path (without its "→ code", which would give the answer away) and its billable code. */
export interface IndexPick {
  readonly path: string;
  readonly code: string;
}

/** `count` groups of five Index paths to billable ICD-10-CM codes, in a seeded order. */
export function indexPicks(coder: LearnedCoder, book: CodeBook, count: number, seed: number): IndexPick[][] {
  const catalog = book.catalog('icd10cm');
  const entries = coder.systems.icd10cm!.dictionary.entries.filter((e) => e.source === 'index' && e.label && catalog.lookup(e.code)?.billable);
  const picked = [...entries.keys()].sort((a, b) => seeded(seed, `entry${a}`) - seeded(seed, `entry${b}`));
  const groups: IndexPick[][] = [];
  for (let e = 0; e < count && (e + 1) * SENTENCES_PER_INDEX_EXAMPLE <= picked.length; e++) {
    groups.push(
      picked.slice(e * SENTENCES_PER_INDEX_EXAMPLE, (e + 1) * SENTENCES_PER_INDEX_EXAMPLE).map((index) => {
        const entry = entries[index]!;
        return { path: entry.label!.replace(/^Index: /, '').replace(/ → \S+$/, ''), code: entry.code };
      }),
    );
  }
  return groups;
}

/** Alphabetic Index term → code in the judge's own format: each "sentence" is an Index path, its candidates the
 * code and up to three billable codes of its category in a seeded order. One sentence in five leaves the code out
 * and is answered N. */
export function indexExamples(coder: LearnedCoder, book: CodeBook, count: number, seed: number): JudgeExample[] {
  const catalog = book.catalog('icd10cm');
  return indexPicks(coder, book, count, seed).map((picks, e) => {
    const target: Record<string, string> = {};
    const sentences = picks.map((pick, i): JudgedSentence => {
      const key = `${e}:${i}`;
      const rivals = catalog
        .billableUnder(categoryOfCode(pick.code))
        .filter((c) => c.code !== pick.code)
        .sort((a, b) => seeded(seed, `${key}${a.code}`) - seeded(seed, `${key}${b.code}`))
        .slice(0, RIVALS)
        .map((c) => c.code);
      const leftOut = seeded(seed, `${key}none`) < 0.2 && rivals.length > 0;
      const codes = (leftOut ? rivals : [pick.code, ...rivals]).sort((a, b) => seeded(seed, `${key}at${a}`) - seeded(seed, `${key}at${b}`));
      target[answerKey(i)] = leftOut ? NONE_LETTER : letterOf(codes.indexOf(pick.code));
      return {
        text: pick.path,
        focus: { start: 0, end: pick.path.length },
        system: 'ICD-10-CM',
        candidates: codes.map((code) => ({ code, title: catalog.lookup(code)?.title ?? code })),
      };
    });
    return exampleOf(`index:${e}`, `index:${e}`, sentences, target);
  });
}
