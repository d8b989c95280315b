// Reads a data file, gunzipping *.gz. CMS fixed-width files are Latin-1; XML, CSV and JSON are UTF-8.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { ChartcoderError } from '../engine/errors';

export function readSourceBytes(path: string): Buffer {
  try {
    const bytes = readFileSync(path);
    return path.endsWith('.gz') ? gunzipSync(bytes) : bytes;
  } catch (err) {
    throw new ChartcoderError('data-unreadable', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
}

export const readSourceText = (path: string, encoding: 'utf8' | 'latin1' = 'utf8'): string => readSourceBytes(path).toString(encoding);
