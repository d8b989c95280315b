// The training documents in a fixed order that depends on nothing but their ids (sha256): `train judge` fits its
// blend on the first ones, `train dataset --judge` teaches the adapter from the rest, so the blend never sees the
// model's answers on documents the model learned from.
import { createHash } from 'node:crypto';

const orderKey = (id: string): string => createHash('sha256').update(id).digest('hex');

export function judgeOrder<T extends { readonly id: string }>(cases: readonly T[]): T[] {
  return [...cases].sort((a, b) => orderKey(a.id).localeCompare(orderKey(b.id)));
}

/** Documents `train judge` fits on by default: the first of `judgeOrder`. */
export const JUDGE_FIT_DOCUMENTS = 100;
