// Progress for long jobs: a bar on a terminal (cli-progress), plain periodic lines otherwise (CI logs).
import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  start(label: string, total: number): void;
  update(done: number): void;
  stop(): void;
  note(line: string): void;
}

export function consoleProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  let bar: SingleBar | undefined;
  let label = '';
  let total = 0;
  let lastLine = 0;
  return {
    start(name, size) {
      label = name;
      total = size;
      lastLine = Date.now();
      if (stream.isTTY) {
        bar = new SingleBar({ format: `  ${name} [{bar}] {value}/{total} {percentage}% eta {eta_formatted}`, stream }, Presets.shades_classic);
        bar.start(size, 0);
      } else {
        stream.write(`  ${name}: 0/${size}\n`);
      }
    },
    update(done) {
      if (bar) bar.update(done);
      else if (Date.now() - lastLine > 15_000 || done === total) {
        lastLine = Date.now();
        stream.write(`  ${label}: ${done}/${total}\n`);
      }
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
    note(line) {
      stream.write(`  ${line}\n`);
    },
  };
}

export const silentProgress: Progress = { start() {}, update() {}, stop() {}, note() {} };
