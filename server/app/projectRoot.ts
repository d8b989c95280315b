// Where the project's files are found at run time: scripts/, training/models/, data/ beside dist/ (the bundled CLI
// and server) or above server/ (sources).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ChartcoderError } from '../engine/errors';

/** scripts/ sits beside dist/ (bundled) or two levels above server/app/ (sources). */
export function findScriptsDir(from = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'scripts', 'lib.sh'))) return join(dir, 'scripts');
  }
  throw new ChartcoderError('provision-failed', `cannot find the provisioning scripts above ${from}`);
}

/** The project root: where scripts/ and data/ live. */
export const findProjectRoot = (from = __dirname): string => dirname(findScriptsDir(from));
