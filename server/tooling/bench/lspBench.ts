// `chartcoder bench lsp`: the language server in process over paired streams, as the editor would drive it. Time from
// didOpen of a ~400-word note to its first diagnostics (against the engine alone on the same text, both with warm
// caches), hover and code
// action latency on the cached analysis (against a bare JSON-RPC round trip to a method the server does not have),
// and the process's resident memory.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { createProtocolConnection } from 'vscode-languageserver-protocol/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { encounterOfNote } from '../../../fhir';
import { openApp } from '../../app/openApp';
import { findProjectRoot } from '../../app/projectRoot';
import { finalResult } from '../../engine/suggest/suggestEncounter';
import type { SuggestMode } from '../../engine/suggest/suggestion';
import { startLanguageServer } from '../../lsp/languageServer';
import type { ChartcoderSettings } from '../../protocol';
import type { OpenedSuggester as Suggester } from '../../app/openSuggester';
import { percentile, round, timed } from './stats';

export interface LspBenchRow {
  readonly measure: string;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly baseline: string;
  readonly baselineP50Ms: number;
  readonly ratio: number;
}

export interface LspBenchReport {
  readonly words: number;
  readonly mode: SuggestMode;
  readonly rows: readonly LspBenchRow[];
  readonly rssMb: { readonly beforeOpen: number; readonly afterAnalysis: number };
}

const rssMb = () => Math.round(process.memoryUsage().rss / 1e6);

/** The first `words` words of the text, cut at a line end where one is near. */
export function firstWords(text: string, words: number): string {
  const matches = [...text.matchAll(/\S+/g)];
  const cut = matches[Math.min(words, matches.length) - 1];
  return cut ? text.slice(0, cut.index + cut[0].length) : text;
}

async function samples(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push((await timed(fn)).ms);
  return out;
}

const row = (measure: string, xs: number[], baseline: string, base: number[]): LspBenchRow => ({
  measure,
  p50Ms: round(percentile(xs, 50), 2),
  p95Ms: round(percentile(xs, 95), 2),
  baseline,
  baselineP50Ms: round(percentile(base, 50), 2),
  ratio: round(percentile(xs, 50) / percentile(base, 50), 2),
});

export async function benchLsp(
  settings: ChartcoderSettings,
  suggester: Suggester,
  notes: readonly string[],
  mode: SuggestMode,
  runs: number,
): Promise<LspBenchReport> {
  const up = new PassThrough();
  const down = new PassThrough();
  const server = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
  const app = openApp(settings, { projectRoot: findProjectRoot(), storeDir: mkdtempSync(join(tmpdir(), 'chartcoder-bench-lsp-')), suggester });
  startLanguageServer(server, {
    app,
    user: 'bench',
    mode: () => mode,
    debounceMs: 0,
  });
  server.listen();
  const client = createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  const waiting = new Map<string, (d: Diagnostic[]) => void>();
  client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    if (p.diagnostics.length) waiting.get(p.uri)?.(p.diagnostics);
  });
  client.listen();
  await client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} });
  await client.sendNotification('initialized', {});
  try {
    const beforeOpen = rssMb();
    const open: number[] = [];
    const engine: number[] = [];
    let last: { uri: string; diagnostics: Diagnostic[] } | undefined;
    for (const [i, text] of notes.entries()) {
      const alone = () => finalResult(suggester.suggest(encounterOfNote({ name: `bench-${i}.note.txt`, text }), { mode }));
      await alone();
      engine.push((await timed(alone)).ms);
      const uri = `file:///bench/note-${i}.note.txt`;
      const first = new Promise<Diagnostic[]>((resolve) => waiting.set(uri, resolve));
      const { value, ms } = await timed(async () => {
        await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'plaintext', version: 1, text } });
        return first;
      });
      open.push(ms);
      last = { uri, diagnostics: value };
    }
    const afterAnalysis = rssMb();
    const target = last!.diagnostics[0]!;
    const at = { textDocument: { uri: last!.uri }, position: target.range.start };
    const bare = await samples(runs, () => client.sendRequest('chartcoder/benchNoSuchMethod', {}).catch(() => undefined));
    const hover = await samples(runs, () => client.sendRequest('textDocument/hover', at));
    const actions = await samples(runs, () =>
      client.sendRequest('textDocument/codeAction', { textDocument: at.textDocument, range: target.range, context: { diagnostics: [target] } }),
    );
    return {
      words: notes.reduce((n, t) => n + t.split(/\s+/).filter(Boolean).length, 0) / Math.max(1, notes.length),
      mode,
      rows: [
        row('didOpen → first diagnostics', open, 'engine alone, same note', engine),
        row('hover (cached analysis)', hover, 'bare JSON-RPC round trip', bare),
        row('code actions (cached analysis)', actions, 'bare JSON-RPC round trip', bare),
      ],
      rssMb: { beforeOpen, afterAnalysis },
    };
  } finally {
    client.dispose();
    server.dispose();
    app.close();
  }
}
