// The `chartcoder eval` run: CodiEsp documents with FY-normalized gold, every mode through the same suggester,
// the report written as JSON (for tools), Markdown (for people) and an SVG chart.
import { cpus, totalmem } from 'node:os';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { encounterOfNote } from '../../../fhir';
import { ChartcoderError } from '../../engine/errors';
import { verifyCode } from '../../engine/suggest/codeValidity';
import type { SuggestMode } from '../../engine/suggest/suggestion';
import type { CodeSystemKey } from '../../engine/retrieve/knowledgeDoc';
import { defaultCodiespDir, readCodiesp, type CodiespLanguage } from '../evaluate/codiesp';
import { goldEvidenceRegions } from '../evaluate/codiespEvidence';
import { evalChartSvg } from '../evaluate/evalChart';
import { compareReports, reportMarkdown, scoreMode, type EvalReport } from '../evaluate/evalReport';
import { comparableCode, normalizeEachGold, type GoldFate } from '../evaluate/goldCodes';
import { readGoldBundle, type GoldEncounter } from '../evaluate/goldBundle';
import { partialPath, runEvaluation, type DocumentOutcome, type EvalDocument } from '../evaluate/suggestEval';
import { modelChanges } from '../evaluate/modelChanges';
import type { BackendKind } from '../../indexing/buildIndex';
import { consoleProgress } from '../../indexing/progress';
import type { ChartcoderSettings } from '../../protocol';
import { findProjectRoot } from '../../app/projectRoot';
import { openSuggester } from '../../app/openSuggester';
import { DEFAULT_CODING_MODEL, TRAIN_ONLY_CODING_MODEL, type CodingCard } from '../../app/codingModels';

export interface RunEvalFlags {
  codiesp?: string;
  bundle?: string;
  model?: string;
  split: string;
  lang?: CodiespLanguage;
  modes: readonly SuggestMode[];
  limit?: number;
  out: string;
  maxMentions?: number;
  backend?: BackendKind;
}

function normalizedRegions(
  regions: ReadonlyMap<string, (readonly [number, number])[]>,
  normalized: ReadonlyMap<string, readonly string[]>,
): Map<string, (readonly [number, number])[]> {
  const out = new Map<string, (readonly [number, number])[]>();
  for (const [raw, where] of regions) for (const code of normalized.get(raw) ?? []) out.set(code, [...(out.get(code) ?? []), ...where]);
  return out;
}

/** A model is never scored on documents it learned from: the card lists them. */
export function refuseTrainedOn(card: Pick<CodingCard, 'name' | 'documents'> | undefined, ids: readonly string[]): void {
  if (!card) return;
  const trained = new Set(card.documents);
  const seen = ids.filter((id) => trained.has(id));
  if (!seen.length) return;
  throw new ChartcoderError(
    'bad-input',
    `the coding model ${card.name} was trained on ${seen.length} of these ${ids.length} documents (e.g. ${seen[0]}): a score there says nothing about new charts. For ` +
      `CodiEsp dev use --model ${TRAIN_ONLY_CODING_MODEL} (chartcoder eval --split dev picks it by itself); otherwise a model whose card does not list these documents`,
  );
}

export async function runEvalCommand(settings: ChartcoderSettings, flags: RunEvalFlags): Promise<number> {
  const { modes } = flags;
  const root = findProjectRoot();
  const cases: (GoldEncounter & { regions?: Map<string, (readonly [number, number])[]> })[] = (
    flags.bundle
      ? readGoldBundle(flags.bundle)
      : (await readCodiesp(flags.codiesp ?? defaultCodiespDir(root), settings.cacheDir, flags.split, flags.lang)).map((c) => ({
          id: c.id,
          view: encounterOfNote({ name: `codiesp:${c.id}`, text: c.text }),
          diagnoses: c.diagnoses,
          procedures: c.procedures,
          regions: goldEvidenceRegions(c),
        }))
  ).slice(0, flags.limit);
  const codingModel = flags.model ?? (!flags.bundle && flags.split !== 'train' ? TRAIN_ONLY_CODING_MODEL : DEFAULT_CODING_MODEL);
  const suggester = await openSuggester(settings, { projectRoot: root, codingModel, ...(flags.backend ? { backend: flags.backend } : {}) });
  if (modes.includes('retrieval'))
    refuseTrainedOn(
      suggester.codingModel?.card,
      cases.map((c) => `${flags.bundle ? 'bundle' : 'codiesp'}:${c.id}`),
    );
  const counts: Record<GoldFate, number> = { kept: 0, mapped: 0, 'not-in-fy': 0 };
  const mapped: [string, string][] = [];
  const comparable = (code: string) => comparableCode(code, suggester.book);
  const documents: EvalDocument[] = cases.map(({ regions, ...c }) => {
    const normalized = normalizeEachGold(c.diagnoses, suggester.book, counts, mapped);
    const comparables = new Map([...normalized].map(([raw, codes]) => [raw, codes.map(comparable)] as const));
    return { ...c, diagnoses: new Set([...normalized.values()].flat()), ...(regions?.size ? { goldRegions: normalizedRegions(regions, comparables) } : {}) };
  });
  const isValid = (system: string, code: string) => verifyCode(suggester.book.catalog(system as CodeSystemKey), code).state !== 'invalid';
  const { outcomes, skipped } = await runEvaluation({
    suggester,
    documents,
    modes,
    outDir: flags.out,
    progress: consoleProgress(),
    isValid,
    ...(flags.maxMentions ? { maxMentions: flags.maxMentions } : {}),
  });
  const report: EvalReport = {
    dataset: flags.bundle ? `FHIR gold bundle ${basename(flags.bundle)}` : `CodiEsp v4 (${flags.lang === 'es' ? 'Spanish' : 'English'})`,
    split: flags.bundle ? 'all' : flags.split,
    documents: documents.length,
    gold: {
      diagnoses: cases.reduce((n, c) => n + c.diagnoses.size, 0),
      kept: counts.kept,
      mapped: counts.mapped,
      notInFy: counts['not-in-fy'],
      procedures: cases.reduce((n, c) => n + c.procedures.size, 0),
    },
    createdAt: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
    modes: Object.fromEntries([...outcomes].map(([mode, outcome]) => [mode, scoreMode(mode, documents, outcome, comparable)])),
    ...(skipped.size ? { skipped: Object.fromEntries(skipped) } : {}),
    ...changesAgainstRetrieval(documents, outcomes, comparable),
  };
  writeFileSync(join(flags.out, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(flags.out, 'report.md'), reportMarkdown(report));
  writeFileSync(join(flags.out, 'chart.svg'), await evalChartSvg(report));
  // The partial results exist to resume an interrupted run; a finished one must not feed the next run (with another
  // engine or model) its old answers.
  for (const mode of modes) rmSync(partialPath(flags.out, mode), { force: true });
  process.stdout.write(`${reportMarkdown(report)}\nwritten: ${join(flags.out, 'report.json')}, report.md, chart.svg\n`);
  return 0;
}

function changesAgainstRetrieval(
  documents: readonly EvalDocument[],
  outcomes: ReadonlyMap<SuggestMode, DocumentOutcome[]>,
  comparable: (code: string) => string,
) {
  const baseline = outcomes.get('retrieval');
  const armed = [...outcomes].filter(([mode]) => mode !== 'retrieval');
  if (!baseline || !armed.length) return {};
  return { modelChanges: Object.fromEntries(armed.map(([mode, arm]) => [mode, modelChanges(documents, baseline, arm, comparable)])) };
}

export async function compareCommand(paths: readonly string[]): Promise<number> {
  if (paths.length !== 2) throw new ChartcoderError('bad-input', '--compare takes two report.json files: A (baseline) and B');
  const [a, b] = paths.map((p) => {
    try {
      return JSON.parse(readFileSync(p, 'utf8')) as EvalReport;
    } catch (err) {
      throw new ChartcoderError('bad-input', `${p}: not a readable report.json (${(err as Error).message})`);
    }
  }) as [EvalReport, EvalReport];
  process.stdout.write(`${compareReports(a, b)}\n`);
  return 0;
}
