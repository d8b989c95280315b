// Option-value parsers shared by the commands: a bad value stops before anything runs, with commander's usage line.
import { InvalidArgumentError } from 'commander';

export const integerIn =
  (min: number, max: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };

export const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

/** A comma-separated list, each item one of `allowed`: "retrieval,rag". */
export const listOf =
  <T extends string>(allowed: readonly T[], what: string) =>
  (value: string): T[] => {
    const items = value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    const bad = items.filter((v) => !allowed.includes(v as T));
    if (bad.length || !items.length) throw new InvalidArgumentError(`${bad.join(', ') || 'none given'}: expected ${what}, some of ${allowed.join(', ')}`);
    return items as T[];
  };

export const oneOf =
  <T extends string>(allowed: readonly T[], what: string) =>
  (value: string): T => {
    if (!allowed.includes(value as T)) throw new InvalidArgumentError(`expected ${what}: ${allowed.join(', ')}`);
    return value as T;
  };

export const positiveNumber = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
};
