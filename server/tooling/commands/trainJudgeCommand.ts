// `chartcoder train judge`: the blend of a model's judgement into the coding model's probabilities, fitted on
// training documents the coder scores out of fold (never on dev). Rows are kept per document in the cache, so an
// interrupted run resumes; the blend goes beside the coding model as judge-<model>.json with its cross-validation.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { MAX_SENTENCES, judgeShape, openJudgeTraining } from '../train/judge/judgeTraining';
import { encounterOfNote } from '../../../fhir';
import { TRAIN_ONLY_CODING_MODEL } from '../../app/codingModels';
import { writeJudgeBlend } from '../../app/judgeBlends';
import { findProjectRoot } from '../../app/projectRoot';
import { ollamaLlm } from '../../adapters/ollama/chatLlm';
import { createOllamaClient } from '../../adapters/ollama/client';
import type { JudgeBlend } from '../../engine/coder/judgeBlend';
import { processEncounter } from '../../engine/encounter/processEncounter';
import { ChartcoderError } from '../../engine/errors';
import type { ChartcoderSettings } from '../../protocol';
import { JUDGE_PROMPT_VERSION } from '../../engine/suggest/judgePrompt';
import type { EncounterCall } from '../../engine/suggest/encounterRun';
import { judgeRows, type DocumentRows } from '../train/judge/judgeRows';
import { JUDGE_FIT_DOCUMENTS } from '../train/judge/judgeSample';
import { rankerPython, runJsonScript, runTrainingScript } from '../train/python';
import { percentile } from '../bench/stats';
import { positive } from './optionParsers';

interface JudgeFlags {
  llm?: string;
  codingModel: string;
  limit: number;
  band: string;
  maxSentences: number;
  codiesp?: string;
}

const median = (values: readonly number[]): number => (values.length ? percentile(values, 50) : 0);

/** What the calls cost: sentences and prompt tokens per call, Ollama's prompt milliseconds per token. */
function callCost(calls: readonly EncounterCall[]): Record<string, number> {
  const used = calls.flatMap((c) => (c.usage && c.usage.promptTokens > 0 ? [c.usage] : []));
  return {
    medianSentencesPerCall: median(calls.map((c) => c.sentences)),
    medianPromptTokens: median(used.map((u) => u.promptTokens)),
    medianPromptMsPerToken: Number(median(used.map((u) => u.promptMs / u.promptTokens)).toFixed(3)),
  };
}

export async function trainJudgeCommand(settings: ChartcoderSettings, flags: JudgeFlags): Promise<number> {
  const started = Date.now();
  const say = (line: string) => process.stderr.write(`[chartcoder] ${line} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  const root = findProjectRoot();
  const llmName = flags.llm ?? settings.ollama.tunedModel;
  const served = await createOllamaClient(settings.ollama)
    .list()
    .catch((err: Error) => {
      throw new ChartcoderError('service-unavailable', `Ollama unreachable at ${settings.ollama.host} (${err.message}): run chartcoder services start ollama`);
    });
  if (!served.models.some((m) => m.name.replace(/:latest$/, '') === llmName))
    throw new ChartcoderError('model-missing', `${llmName} is not in Ollama: run chartcoder models pull`);
  const shape = judgeShape(flags.band, flags.maxSentences);
  const training = await openJudgeTraining(settings, root, flags.codingModel, flags.codiesp);
  const { dir, card, outOfFold, parts, coder } = training;
  const cases = training.cases.slice(0, flags.limit);
  const rowsDir = join(settings.cacheDir, 'judge');
  mkdirSync(rowsDir, { recursive: true });
  const rowsFile = join(
    rowsDir,
    `${flags.codingModel}-${llmName}-${createHash('sha256')
      .update(JSON.stringify([card.version, shape, JUDGE_PROMPT_VERSION]))
      .digest('hex')
      .slice(0, 12)}.jsonl`,
  );
  const done = new Map<string, DocumentRows>();
  if (existsSync(rowsFile))
    for (const line of readFileSync(rowsFile, 'utf8').split('\n'))
      if (line.trim()) {
        const d = JSON.parse(line) as DocumentRows;
        done.set(d.doc, d);
      }
  say(`${cases.length} training documents of ${card.version}, ${done.size} already judged (${rowsFile}); model ${llmName}`);
  const llm = ollamaLlm(settings.ollama, llmName);
  for (const [i, c] of cases.entries()) {
    if (done.has(`codiesp:${c.id}`)) continue;
    const encounter = processEncounter(encounterOfNote({ name: `codiesp:${c.id}`, text: c.text }), parts.lexicon);
    const rows = await judgeRows({
      id: `codiesp:${c.id}`,
      encounter,
      gold: { icd10cm: c.diagnoses, icd10pcs: c.procedures },
      outOfFold,
      coder,
      book: parts.book,
      llm,
      blend: shape,
      timeoutMs: settings.ollama.requestTimeoutMs,
    });
    appendFileSync(rowsFile, `${JSON.stringify(rows)}\n`);
    done.set(rows.doc, rows);
    if ((i + 1) % 10 === 0 || i === cases.length - 1) {
      const calls = [...done.values()].flatMap((d) => (d.call ? [d.call] : []));
      say(`${i + 1}/${cases.length} documents, ${calls.length} calls, median ${median(calls.map((x) => x.tookMs))} ms per call`);
    }
  }
  const documents = cases.map((c) => done.get(`codiesp:${c.id}`)!);
  const calls = documents.flatMap((d) => (d.call ? [d.call] : []));
  const python = await rankerPython(settings);
  const fitted = await runJsonScript<{ weights: JudgeBlend['weights']; cv: Record<string, unknown> }>(
    (inPath, outPath) => runTrainingScript(python, root, 'fit_judge.py', [inPath, outPath]),
    { rows: documents.flatMap((d) => d.rows), goldTotal: documents.reduce((n, d) => n + d.gold, 0) },
  );
  const flat = (prefix: string, value: unknown): [string, number | string][] =>
    value !== null && typeof value === 'object'
      ? Object.entries(value).flatMap(([k, v]) => flat(prefix ? `${prefix}.${k}` : k, v))
      : [[prefix, value as number | string]];
  const blend: JudgeBlend = {
    schemaVersion: 2,
    promptVersion: JUDGE_PROMPT_VERSION,
    llm: llmName,
    codingModel: card.version,
    ...shape,
    weights: fitted.weights,
    fit: Object.fromEntries([
      ...flat('', fitted.cv),
      ['calls', calls.length],
      ['failedCalls', calls.filter((c) => c.failure).length],
      ['medianCallMs', median(calls.map((c) => c.tookMs))],
      ...Object.entries(callCost(calls)),
    ]),
  };
  const path = writeJudgeBlend(dir, blend);
  process.stdout.write(`${JSON.stringify({ path, weights: blend.weights, fit: blend.fit }, null, 2)}\n`);
  return 0;
}

export function registerTrainJudge(train: Command, settings: () => ChartcoderSettings, exit: (code: number) => void): void {
  train
    .command('judge')
    .option('--llm <model>', 'the Ollama model that judges (default: settings ollama.tunedModel; chartcoder-base for rag)')
    .option('--coding-model <name>', 'the coding model whose out-of-fold probabilities are fitted', TRAIN_ONLY_CODING_MODEL)
    .option('--limit <n>', 'training documents to judge (a fixed, hash-ordered sample)', positive, JUDGE_FIT_DOCUMENTS)
    .option('--band <p>', 'candidates within this distance of the threshold are judged', '0.15')
    .option('--max-sentences <n>', 'uncertain sentences asked per encounter, all in one call', positive, MAX_SENTENCES)
    .option('--codiesp <dir>', 'CodiEsp v4 folder (default ../shared/data/codiesp)')
    .description("the blend of a model's judgement into the coding model, fitted on training documents scored out of fold")
    .action(async (o: JudgeFlags) => exit(await trainJudgeCommand(settings(), o)));
}
