// `chartcoder bench lsp-responsiveness`: how fast the language server answers a cheap request (the suggestions of a
// small note it already coded) while it codes one large note, with the engine in a worker thread (the default) and
// on the server's own thread (CHARTCODER_ENGINE=in-process, the baseline), in the same run. The server is the bundled
// dist/server.js over stdio in its own process, as the editor starts it, so a blocked server cannot hide its latency.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { Methods } from '../../protocol';
import { percentile } from './stats';

export interface LspResponsivenessRow {
  readonly engine: 'worker' | 'in-process';
  readonly noteCharacters: number;
  readonly codingMs: number;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

export async function measureLspResponsiveness(options: {
  readonly projectRoot: string;
  readonly engine: LspResponsivenessRow['engine'];
  readonly note: string;
  readonly env: NodeJS.ProcessEnv;
}): Promise<LspResponsivenessRow> {
  const child = spawn(process.execPath, [join(options.projectRoot, 'dist', 'server.js'), '--stdio'], {
    env: { ...options.env, CHARTCODER_ENGINE: options.engine, CHARTCODER_MAX_NOTE_CHARACTERS: String(Math.max(300_000, options.note.length)) },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const client = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const coded = new Map<string, () => void>();
  client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => coded.get(p.uri)?.());
  client.onRequest('window/showMessageRequest', () => null);
  client.listen();
  const codedOnce = (uri: string) => new Promise<void>((resolve) => coded.set(uri, resolve));
  const open = (uri: string, text: string) =>
    client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'plaintext', version: 1, text } });
  try {
    await client.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { mode: 'retrieval' } });
    await client.sendNotification('initialized', {});
    // A small note first: the engine opens and warms (the bench measures coding, not opening).
    const small = 'file:///bench/small.note.txt';
    const warm = codedOnce(small);
    await open(small, 'Assessment: acute on chronic systolic heart failure. Hypertension.');
    await warm;
    const big = 'file:///bench/big.note.txt';
    const bigCoded = codedOnce(big);
    const started = Date.now();
    await open(big, options.note);
    const latencies: number[] = [];
    let done = false;
    void bigCoded.then(() => {
      done = true;
    });
    while (!done) {
      const t = performance.now();
      await client.sendRequest(Methods.suggestions, { uri: small });
      latencies.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const codingMs = Date.now() - started;
    return {
      engine: options.engine,
      noteCharacters: options.note.length,
      codingMs,
      requests: latencies.length,
      p50Ms: Math.round(percentile(latencies, 50)),
      p95Ms: Math.round(percentile(latencies, 95)),
      maxMs: Math.round(Math.max(...latencies)),
    };
  } finally {
    client.dispose();
    child.kill();
  }
}
