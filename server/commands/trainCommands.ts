// `chartcoder train dataset`: the LoRA training data, made with the inference template and retrieval.
import type { Command } from 'commander';
import { defaultCodiespDir, readCodiesp } from '../eval/codiesp';
import { consoleProgress } from '../indexing/progress';
import type { ChartcoderSettings } from '../protocol';
import { findProjectRoot } from '../provision/scripts';
import { openSuggester } from '../suggest/openSuggester';
import { buildDataset } from '../training/buildDataset';
import { integerIn, positive } from './optionParsers';

interface DatasetFlags { codiesp?: string; split: string; limit?: number; out: string; seed: number; maxMentions?: number }

export function registerTrainCommands(program: Command, settings: () => ChartcoderSettings, exit: (code: number) => void): void {
  const train = program.command('train').description('LoRA fine-tuning pipeline (training/)');
  train.command('dataset')
    .option('--codiesp <dir>', 'CodiEsp v4 folder or archive folder (default ../shared/data/codiesp)')
    .option('--split <name>', 'labelled split to learn from', 'train')
    .option('--limit <n>', 'first n documents only', positive)
    .option('--max-mentions <n>', 'mentions per document', positive)
    .option('--seed <n>', 'split seed', integerIn(0, 2 ** 31 - 1), 20261124)
    .option('--out <dir>', 'where train.jsonl, validation.jsonl and manifest.json go', 'training/data/codiesp')
    .description('training examples with the inference prompt template and retrieval; deterministic split; manifest with counts and hashes')
    .action(async (o: DatasetFlags) => {
      const s = settings();
      const root = findProjectRoot();
      const data = o.codiesp ?? defaultCodiespDir(root);
      const cases = (await readCodiesp(data, s.cacheDir, o.split)).slice(0, o.limit);
      const suggester = await openSuggester(s, { projectRoot: root });
      const manifest = await buildDataset({
        suggester, cases, outDir: o.out, seed: o.seed, validationShare: 0.1, progress: consoleProgress(), source: `CodiEsp v4 ${o.split} (English), ${cases.length} documents`,
        ...(o.maxMentions ? { maxMentions: o.maxMentions } : {}),
      });
      process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
      exit(0);
    });
}
