// CPU seconds the local Ollama processes (server and model runners) use, from /proc: to tell whether Ollama is
// still working.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const TICKS_PER_SECOND = 100;

/** Per Ollama process id, CPU seconds used so far. */
function ollamaProcesses(): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!command.some((part) => /(^|\/)ollama$/.test(part))) continue;
      // Fields after the command name: utime and stime are the 14th and 15th fields of the line.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      out.set(pid, (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return out;
}

/** A reading to compare later: CPU seconds Ollama's processes used since, counting runners that started meanwhile
 * and leaving out those that ended (a model reload replaces its runner). */
export function ollamaCpuSince(): () => number {
  const start = ollamaProcesses();
  return () => {
    let seconds = 0;
    for (const [pid, used] of ollamaProcesses()) seconds += used - (start.get(pid) ?? 0);
    return seconds;
  };
}

/** One busy loop per core, as another tenant of the machine would be; kill them when done. */
export const saturateCpus = (): ChildProcess[] => cpus().map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));

/** Seconds until a whole second passes with Ollama using under 0.1 CPU seconds; undefined if not within `limit`. */
export async function secondsUntilQuiet(limit: number): Promise<number | undefined> {
  for (let second = 0; second < limit; second++) {
    const used = ollamaCpuSince();
    await sleep(1000);
    if (used() < 0.1) return second;
  }
  return undefined;
}
