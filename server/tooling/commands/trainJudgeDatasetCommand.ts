// `chartcoder train judge-dataset`: the adapter's training examples in exactly the inference prompts of the tuned
// model's two tasks — the judge's (training documents' uncertain sentences from their out-of-fold probabilities,
// answered with their gold letters) and ft's (sentences with codable mentions, answered with a code from memory) —
// plus Alphabetic Index term → code examples in both formats. The documents `train judge` fits its blend on are
// left out, so the blend is fitted on answers about documents the adapter never learned from.
import type { Command } from 'commander';
import { MAX_SENTENCES, judgeShape, openJudgeTraining } from '../train/judge/judgeTraining';
import { encounterOfNote } from '../../../fhir';
import { TRAIN_ONLY_CODING_MODEL } from '../../app/codingModels';
import { findProjectRoot } from '../../app/projectRoot';
import { processEncounter } from '../../engine/encounter/processEncounter';
import { JUDGE_PROMPT_VERSION } from '../../engine/suggest/judgePrompt';
import { consoleProgress } from '../../indexing/progress';
import type { ChartcoderSettings } from '../../protocol';
import { isValidation, writeDataset } from '../train/buildDataset';
import { indexExamples, judgeExample, noJudgeExamples, type JudgeExample } from '../train/judge/judgeExamples';
import { freeExample, freeIndexExamples, noFreeExamples, type FreeExample } from '../train/judge/freeExamples';
import { FREE_PROMPT_VERSION } from '../../engine/suggest/freePrompt';
import { JUDGE_FIT_DOCUMENTS } from '../train/judge/judgeSample';
import { integerIn, positive } from './optionParsers';

interface JudgeDatasetFlags {
  codingModel: string;
  skip: number;
  indexExamples: number;
  /** Also the ft examples: sentences with codable mentions answered with a code (--no-free leaves them out). */
  free: boolean;
  maxSentences: number;
  band: string;
  seed: number;
  out: string;
  codiesp?: string;
}

const VALIDATION_SHARE = 0.1;

export async function trainJudgeDatasetCommand(settings: ChartcoderSettings, flags: JudgeDatasetFlags): Promise<number> {
  const root = findProjectRoot();
  const shape = judgeShape(flags.band, flags.maxSentences);
  const training = await openJudgeTraining(settings, root, flags.codingModel, flags.codiesp);
  const { card, outOfFold, parts, coder } = training;
  const cases = training.cases.slice(flags.skip);
  const counts = noJudgeExamples();
  const freeCounts = noFreeExamples();
  const rows: Record<'train' | 'validation', (JudgeExample | FreeExample)[]> = { train: [], validation: [] };
  const documents = { train: 0, validation: 0 };
  const progress = consoleProgress();
  progress.start('judge examples', cases.length);
  for (const [i, c] of cases.entries()) {
    const id = `codiesp:${c.id}`;
    const encounter = processEncounter(encounterOfNote({ name: id, text: c.text }), parts.lexicon);
    const gold = { icd10cm: c.diagnoses, icd10pcs: c.procedures };
    const example = judgeExample({ id, encounter, coder, book: parts.book, outOfFold, gold, shape }, counts);
    const free = flags.free ? freeExample({ id, encounter, coder, gold }, freeCounts) : undefined;
    const split = isValidation(c.id, flags.seed, VALIDATION_SHARE) ? 'validation' : 'train';
    documents[split]++;
    for (const e of [example, free]) if (e) rows[split].push(e);
    progress.update(i + 1);
  }
  progress.stop();
  const index = indexExamples(coder, parts.book, flags.indexExamples, flags.seed);
  // Other Index paths for ft (another seed), so the two formats teach more terms between them.
  const freeIndex = flags.free ? freeIndexExamples(coder, parts.book, flags.indexExamples, flags.seed + 1) : [];
  rows.train.push(...index, ...freeIndex);
  const manifest = writeDataset(flags.out, {
    settings: {
      source:
        `CodiEsp v4 train (English), ${cases.length} documents after the first ${flags.skip} (train judge's), uncertain sentences of ${card.version}` +
        `${flags.free ? ' and sentences with codable mentions (ft)' : ''}; ${index.length + freeIndex.length} Alphabetic Index examples`,
      seed: flags.seed,
      validationShare: VALIDATION_SHARE,
      promptTemplateHash: `judge-v${JUDGE_PROMPT_VERSION}${flags.free ? `+free-v${FREE_PROMPT_VERSION}` : ''}`,
      fy: parts.fy,
    },
    rows,
    documents,
    counts: {
      ...counts,
      indexExamples: index.length,
      ...(flags.free
        ? {
            freeDocuments: freeCounts.documents,
            freeNothingToAsk: freeCounts.nothingToAsk,
            freeSentences: freeCounts.sentences,
            freeGoldCode: freeCounts.goldCode,
            freeIndexExamples: freeIndex.length,
          }
        : {}),
    },
  });
  process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
  return 0;
}

export function registerTrainJudgeDataset(train: Command, settings: () => ChartcoderSettings, exit: (code: number) => void): void {
  train
    .command('judge-dataset')
    .option('--coding-model <name>', 'the coding model whose out-of-fold probabilities choose the uncertain sentences', TRAIN_ONLY_CODING_MODEL)
    .option('--skip <n>', "first documents in train judge's order left out (those it fits the blend on)", integerIn(0, 100_000), JUDGE_FIT_DOCUMENTS)
    .option('--index-examples <n>', 'Alphabetic Index term → code examples (five Index paths each)', integerIn(0, 100_000), 200)
    .option('--no-free', 'judge examples only: no ft examples (sentences answered with a code from memory)')
    .option('--max-sentences <n>', 'uncertain sentences per example, as train judge asks', positive, MAX_SENTENCES)
    .option('--band <p>', 'candidates within this distance of the threshold are uncertain', '0.15')
    .option('--seed <n>', 'split and Index sampling seed', integerIn(0, 2 ** 31 - 1), 20261124)
    .option('--out <dir>', 'where train.jsonl, validation.jsonl and manifest.json go', 'training/data/encounter')
    .option('--codiesp <dir>', 'CodiEsp v4 folder (default ../shared/data/codiesp)')
    .description("the adapter's examples in the inference prompts of rag/ft+rag (the judge) and ft: training documents' sentences, and Index terms")
    .action(async (o: JudgeDatasetFlags) => exit(await trainJudgeDatasetCommand(settings(), o)));
}
