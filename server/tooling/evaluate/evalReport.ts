// The two-layer report of one evaluation run: per mode, the retriever layer (candidate recall@k of gold diagnosis
// codes, at k and at the engine's offered set, MRR) and the generator layer. Keys are stable for tools.
import {
  categoryOf,
  expectedCalibrationError,
  meanAveragePrecision,
  meanReciprocalRank,
  nearMissRate,
  overCodingRatio,
  prefixMetrics,
  setMetrics,
} from '../../engine/metrics/codingMetrics';
import { recallAtK } from '../../engine/metrics/candidateRecall';
import { microF1Interval, type Interval } from '../../engine/metrics/bootstrap';
import type { SuggestMode } from '../../engine/suggest/suggestion';
import { percentile } from '../bench/stats';
import type { DocumentOutcome, EvalDocument } from './suggestEval';
import type { ModelChanges } from './modelChanges';

export interface ModeReport {
  readonly mode: SuggestMode;
  readonly documents: number;
  readonly recallAt10: number;
  readonly recallAt20: number;
  readonly recallAt50: number;
  readonly recallAt100: number;
  /** Recall of the candidates actually offered to the choice (documented enough, within the budget). */
  readonly recallAtBudget: number;
  /** Recall@100 without the candidates the guidelines forbid coding (found only in negated, hypothetical,
   * conditional or family mentions): what the rules leave the ranker. */
  readonly codableRecallAt100: number;
  /** Mean over documents of each document's recall@100. */
  readonly macroRecallAt100: number;
  readonly mrr: number;
  /** Mean average precision of the ranked candidates (CodiEsp's official metric). */
  readonly map: number;
  /** Per candidate generator of the coding model (evidence / index / title dictionaries, neighbours): the share of
   * gold codes it proposed, at any rank; absent for modes without one. */
  readonly generatorRecall?: Readonly<Record<string, number>>;
  /** Gold codes the coding model found only in negated, hypothetical, conditional or family mentions, which the
   * Official Guidelines do not let us code: what that rule costs against this corpus. */
  readonly goldOnlyExcluded: number;
  /** Shown evidence ranges whose text is exactly the note's characters at that range. */
  readonly evidenceExactShare: number;
  readonly microPrecision: number;
  readonly microRecall: number;
  readonly microF1: number;
  /** Where micro-F1 would fall on another sample of documents like these: the 95 % bootstrap interval over documents. */
  readonly microF1Interval?: Interval;
  /** Micro-F1 against the gold without the codes counted in `goldOnlyExcluded`. */
  readonly ruleAllowedMicroF1?: number;
  readonly macroF1: number;
  readonly categoryMicroF1: number;
  readonly categoryMacroF1: number;
  readonly pcsPrefixF1: number;
  readonly pcsPrefixRecall: number;
  /** Shown suggestions whose code is not valid for the FY (must be 0). */
  readonly invalidCodeRate: number;
  /** Codes the model invented that verification dropped, per model call. */
  readonly inventedCodeRate: number;
  /** Model quotes not found in the note, per model call. */
  readonly unsupportedEvidenceRate: number;
  /** Suggestions shown with verified evidence. */
  readonly verifiedEvidenceShare: number;
  /** Correct codes whose shown evidence overlaps where the corpus locates that code's evidence (CodiEsp-X spans, or
   * for English text the lines they align to); null when the corpus locates none. */
  readonly evidenceAgreement: number | null;
  readonly evidenceAgreementOf: number;
  readonly overCodingRatio: number;
  readonly nearMissRate: number;
  readonly ece: number;
  readonly latencyP50Ms: number;
  readonly latencyP95Ms: number;
  readonly modelCalls: number;
  readonly modelFailures: number;
  readonly degradations: readonly string[];
  readonly provenance?: Record<string, unknown>;
}

const round = (x: number): number => Number(x.toFixed(4));
const roundedInterval = (i: Interval): Interval => ({ ...i, low: round(i.low), high: round(i.high) });

export function scoreMode(
  mode: SuggestMode,
  documents: readonly EvalDocument[],
  outcomes: readonly DocumentOutcome[],
  comparable: (code: string) => string,
): ModeReport {
  const gold = documents.map((d) => new Set([...d.diagnoses].map(comparable)));
  const predicted = outcomes.map((o) => o.diagnoses.map((s) => comparable(s.code)));
  const dx = documents.map((_, i) => ({ predicted: predicted[i]!, gold: gold[i]! }));
  const codeLevel = setMetrics(dx);
  // The same, against the gold the Official Guidelines let a coder assign: codes the model found only in negated,
  // hypothetical or family mentions left out of the gold, so the rule's cost is one number beside the F1.
  const ruleAllowed = setMetrics(
    dx.map((d, i) => {
      const forbidden = new Set((outcomes[i]!.excludedOnly ?? []).map(comparable));
      return { predicted: d.predicted, gold: new Set([...d.gold].filter((c) => !forbidden.has(c))) };
    }),
  );
  const category = setMetrics(dx, categoryOf);
  const pcs = prefixMetrics(outcomes.map((o, i) => ({ predicted: o.procedures, gold: documents[i]!.procedures })));
  const ranked = outcomes.map((o, i) => ({ ranked: [...new Set(o.candidates.map((c) => comparable(c.code)))], gold: gold[i]! }));
  const recall = recallAtK(ranked, [10, 20, 50, 100]);
  const codable = recallAtK(
    outcomes.map((o, i) => ({ ranked: [...new Set(o.candidates.filter((c) => !c.excluded).map((c) => comparable(c.code)))], gold: gold[i]! })),
    [100],
  );
  const offered = recallAtK(
    outcomes.map((o, i) => ({ ranked: [...new Set(o.candidates.filter((c) => c.offered).map((c) => comparable(c.code)))], gold: gold[i]! })),
    [Number.MAX_SAFE_INTEGER],
  );
  const shown = outcomes.flatMap((o) => o.diagnoses);
  const calls = outcomes.reduce((n, o) => n + o.stats.modelCalls, 0);
  const latency = outcomes.map((o) => o.tookMs);
  const provenance = outcomes.find((o) => o.provenance)?.provenance;
  const agreement = evidenceAgreement(documents, outcomes, comparable);
  return {
    mode,
    documents: documents.length,
    recallAt10: round(recall[0]!.micro),
    recallAt20: round(recall[1]!.micro),
    recallAt50: round(recall[2]!.micro),
    recallAt100: round(recall[3]!.micro),
    recallAtBudget: round(offered[0]!.micro),
    codableRecallAt100: round(codable[0]!.micro),
    macroRecallAt100: round(recall[3]!.macro),
    mrr: round(meanReciprocalRank(ranked)),
    map: round(meanAveragePrecision(ranked)),
    ...generatorRecallOf(outcomes, gold, comparable),
    goldOnlyExcluded: outcomes.reduce((n, o, i) => n + (o.excludedOnly ?? []).filter((c) => gold[i]!.has(comparable(c))).length, 0),
    evidenceExactShare: round(shown.length ? shown.filter((s) => s.evidenceExact !== false).length / shown.length : 1),
    microPrecision: round(codeLevel.micro.precision),
    microRecall: round(codeLevel.micro.recall),
    microF1: round(codeLevel.micro.f1),
    microF1Interval: roundedInterval(microF1Interval(dx)),
    ruleAllowedMicroF1: round(ruleAllowed.micro.f1),
    macroF1: round(codeLevel.macro.f1),
    categoryMicroF1: round(category.micro.f1),
    categoryMacroF1: round(category.macro.f1),
    pcsPrefixF1: round(pcs.micro.f1),
    pcsPrefixRecall: round(pcs.micro.recall),
    invalidCodeRate: round(shown.length ? shown.filter((s) => !s.valid).length / shown.length : 0),
    inventedCodeRate: round(calls ? outcomes.reduce((n, o) => n + o.stats.invalidCodesDropped, 0) / calls : 0),
    unsupportedEvidenceRate: round(calls ? outcomes.reduce((n, o) => n + o.stats.quotesNotFound, 0) / calls : 0),
    verifiedEvidenceShare: round(shown.length ? shown.filter((s) => s.supported).length / shown.length : 0),
    evidenceAgreement: agreement.of ? round(agreement.agreeing / agreement.of) : null,
    evidenceAgreementOf: agreement.of,
    overCodingRatio: round(overCodingRatio(dx)),
    nearMissRate: round(nearMissRate(dx)),
    ece: round(
      expectedCalibrationError(outcomes.flatMap((o, i) => o.diagnoses.map((s) => ({ confidence: s.confidence, correct: gold[i]!.has(comparable(s.code)) })))),
    ),
    latencyP50Ms: Math.round(percentile(latency, 50)),
    latencyP95Ms: Math.round(percentile(latency, 95)),
    modelCalls: calls,
    modelFailures: outcomes.reduce((n, o) => n + o.stats.modelFailures, 0),
    degradations: [...new Set(outcomes.flatMap((o) => o.degradations))].slice(0, 10),
    ...(provenance ? { provenance } : {}),
  };
}

function generatorRecallOf(
  outcomes: readonly DocumentOutcome[],
  gold: readonly ReadonlySet<string>[],
  comparable: (code: string) => string,
): { generatorRecall?: Record<string, number> } {
  const names = [...new Set(outcomes.flatMap((o) => o.candidates.flatMap((c) => c.generators ?? [])))].sort();
  if (!names.length) return {};
  const total = gold.reduce((n, g) => n + g.size, 0) || 1;
  const found = (name: string) =>
    outcomes.reduce(
      (n, o, i) =>
        n +
        new Set(
          o.candidates
            .filter((c) => c.generators?.includes(name))
            .map((c) => comparable(c.code))
            .filter((c) => gold[i]!.has(c)),
        ).size,
      0,
    );
  return { generatorRecall: Object.fromEntries(names.map((name) => [name, round(found(name) / total)])) };
}

const overlaps = (a: readonly (readonly [number, number])[], b: readonly (readonly [number, number])[]) =>
  a.some(([s, e]) => b.some(([s2, e2]) => s < e2 && s2 < e));

function evidenceAgreement(
  documents: readonly EvalDocument[],
  outcomes: readonly DocumentOutcome[],
  comparable: (code: string) => string,
): { agreeing: number; of: number } {
  let agreeing = 0,
    of = 0;
  for (const [i, outcome] of outcomes.entries()) {
    const regions = documents[i]!.goldRegions;
    if (!regions) continue;
    for (const s of outcome.diagnoses) {
      const where = regions.get(comparable(s.code));
      if (!where?.length || !s.evidence) continue;
      of++;
      if (overlaps(s.evidence, where)) agreeing++;
    }
  }
  return { agreeing, of };
}

export interface EvalReport {
  readonly dataset: string;
  readonly split: string;
  readonly documents: number;
  readonly gold: { readonly diagnoses: number; readonly kept: number; readonly mapped: number; readonly notInFy: number; readonly procedures: number };
  readonly createdAt: string;
  readonly machine: string;
  readonly modes: Record<string, ModeReport>;
  /** Modes asked for that could not run, with the reason. */
  readonly skipped?: Record<string, string>;
  /** Per model mode, the diagnosis codes it changed against retrieval on the same documents. */
  readonly modelChanges?: Record<string, ModelChanges>;
}

function changesMarkdown(report: EvalReport): string[] {
  return Object.entries(report.modelChanges ?? {}).flatMap(([mode, c]) => [
    `## What ${mode} changed against ${c.against}`,
    '',
    `${c.changes.length} diagnosis codes changed: **${c.fixed} fixed** (a gold code added, a wrong one taken away), **${c.broke} broke** (a gold code taken away, a wrong one added).`,
    '',
    ...(c.changes.length
      ? [
          '| document | code | change | gold |',
          '|---|---|---|---|',
          ...c.changes.slice(0, 60).map((x) => `| ${x.doc} | ${x.code} | ${x.change} | ${x.gold ? 'yes' : 'no'} |`),
        ]
      : []),
    ...(c.changes.length > 60 ? [`… and ${c.changes.length - 60} more in report.json`] : []),
    '',
  ]);
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const f3 = (x: number): string => x.toFixed(3);

export function reportMarkdown(report: EvalReport): string {
  const modes = Object.values(report.modes);
  const row = (label: string, cell: (m: ModeReport) => string) => `| ${label} | ${modes.map(cell).join(' | ')} |`;
  const head = `| | ${modes.map((m) => m.mode).join(' | ')} |\n|---|${modes.map(() => '---').join('|')}|`;
  return [
    `# Chartcoder evaluation: ${report.dataset} ${report.split}`,
    '',
    `${report.documents} documents · gold diagnoses ${report.gold.diagnoses} (${report.gold.kept} billable FY2026 codes, ${report.gold.mapped} mapped: FY2026 headers to ` +
      `their "unspecified" child, 7th-character stems to their family; ${report.gold.notInFy} not in FY2026 and left out) · gold procedures ${report.gold.procedures} · ${report.createdAt} · ${report.machine}`,
    '',
    '![modes compared](chart.svg)',
    '',
    '## Retriever layer (ICD-10-CM candidates as the engine surfaces them)',
    '',
    'Candidates are everything the generators found, ranked by the ranker, before the coding rules: codes found only in ' +
      'negated, hypothetical, conditional or family mentions rank among them but are never suggested ("codable candidates only" leaves them out).',
    '',
    head,
    row('recall@10', (m) => f3(m.recallAt10)),
    row('recall@20', (m) => f3(m.recallAt20)),
    row('recall@50', (m) => f3(m.recallAt50)),
    row('recall@100', (m) => f3(m.recallAt100)),
    row('recall@100 per document (macro) / codable candidates only', (m) => `${f3(m.macroRecallAt100)} / ${f3(m.codableRecallAt100)}`),
    row('recall of the offered set', (m) => f3(m.recallAtBudget)),
    row('MRR', (m) => f3(m.mrr)),
    row('MAP (ranked candidates)', (m) => (m.map === undefined ? '—' : f3(m.map))),
    row('recall per generator (any rank)', (m) =>
      m.generatorRecall
        ? Object.entries(m.generatorRecall)
            .map(([g, r]) => `${g} ${f3(r)}`)
            .join(' · ')
        : '—',
    ),
    '',
    '## Generator layer',
    '',
    head,
    row('micro P / R / F1 (full code)', (m) => `${f3(m.microPrecision)} / ${f3(m.microRecall)} / **${f3(m.microF1)}**`),
    row('micro F1, 95 % bootstrap interval over documents', (m) =>
      m.microF1Interval ? `${f3(m.microF1Interval.low)} – ${f3(m.microF1Interval.high)} (${m.microF1Interval.resamples} resamples)` : '—',
    ),
    row('macro F1 (full code)', (m) => f3(m.macroF1)),
    row('micro / macro F1 (category)', (m) => `${f3(m.categoryMicroF1)} / ${f3(m.categoryMacroF1)}`),
    row('ICD-10-PCS prefix F1 / recall', (m) => `${f3(m.pcsPrefixF1)} / ${f3(m.pcsPrefixRecall)}`),
    row('invalid codes shown', (m) => pct(m.invalidCodeRate)),
    row('correct codes whose evidence agrees with the gold evidence', (m) =>
      m.evidenceAgreement === null || m.evidenceAgreement === undefined ? '—' : `${pct(m.evidenceAgreement)} of ${m.evidenceAgreementOf}`,
    ),
    row('codes invented by the model, dropped (per call)', (m) => pct(m.inventedCodeRate)),
    row('model quotes not in the note (per call)', (m) => pct(m.unsupportedEvidenceRate)),
    row('suggestions with verified evidence', (m) => pct(m.verifiedEvidenceShare)),
    row('suggestions whose evidence slices back to the note exactly', (m) => (m.evidenceExactShare === undefined ? '—' : pct(m.evidenceExactShare))),
    row('gold codes found only in negated / family / hypothetical mentions (not coded by rule)', (m) =>
      m.goldOnlyExcluded === undefined ? '—' : String(m.goldOnlyExcluded),
    ),
    row('micro F1 against the gold without those codes (what the rule costs)', (m) =>
      m.ruleAllowedMicroF1 === undefined ? '—' : `${f3(m.ruleAllowedMicroF1)} (vs ${f3(m.microF1)})`,
    ),
    row('over-coding (predicted ÷ gold)', (m) => m.overCodingRatio.toFixed(2)),
    row('near misses (right category, wrong code)', (m) => pct(m.nearMissRate)),
    row('calibration error (ECE)', (m) => f3(m.ece)),
    row('latency p50 / p95 per document', (m) => `${m.latencyP50Ms} / ${m.latencyP95Ms} ms`),
    row('model calls (failures)', (m) => `${m.modelCalls} (${m.modelFailures})`),
    '',
    ...changesMarkdown(report),
    ...Object.entries(report.skipped ?? {}).map(([mode, why]) => `- ${mode} not run: ${why}`),
    ...modes.filter((m) => m.degradations.length).map((m) => `- ${m.mode} degraded: ${m.degradations.join('; ')}`),
    ...modes
      .filter((m) => m.provenance)
      .map(
        (m) =>
          `- ${m.mode} provenance: ${Object.entries(m.provenance!)
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => `${k} ${String(v)}`)
            .join(', ')}`,
      ),
    '',
  ].join('\n');
}

const DELTA_KEYS = ['microF1', 'macroF1', 'categoryMicroF1', 'recallAt50', 'mrr', 'pcsPrefixF1', 'overCodingRatio', 'ece', 'latencyP50Ms'] as const;

export function compareReports(a: EvalReport, b: EvalReport): string {
  const lines = [`| mode | ${DELTA_KEYS.join(' | ')} |`, `|---|${DELTA_KEYS.map(() => '---').join('|')}|`];
  for (const mode of Object.keys(b.modes)) {
    const x = a.modes[mode];
    const y = b.modes[mode]!;
    lines.push(
      `| ${mode} | ${DELTA_KEYS.map((k) => (x ? `${y[k]} (${y[k] - x[k] >= 0 ? '+' : ''}${Number((y[k] - x[k]).toFixed(4))})` : String(y[k]))).join(' | ')} |`,
    );
  }
  return lines.join('\n');
}
