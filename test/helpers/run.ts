// Run a command to completion, capturing its output (no shell, no sleeps).
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** With `echoStderr`, the child's stderr (progress) also streams to ours as it comes. */
export function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, echoStderr = false): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (echoStderr) process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr, ms: Date.now() - started }));
  });
}

/** The built CLI, exactly as a user runs it. */
export const cli = (args: readonly string[], env?: NodeJS.ProcessEnv, echoStderr = false) =>
  run(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], env, echoStderr);

export function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}
