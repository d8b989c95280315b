// Requests and command arguments from the editor, parsed once at the edge: a typed value, or a bad-input error that
// names what is wrong.
import { z } from 'zod';
import { ChartcoderError } from '../engine/errors';
import type { DecisionRequest } from '../protocol';
import type { CdiQueryRequest } from './codeActions';

const text = (max: number) => z.string().min(1).max(max);

const decisionRequest = z
  .object({
    uri: text(4000),
    suggestionId: text(200),
    action: z.enum(['accept', 'reject', 'replace']),
    replacementCode: text(20).optional(),
    reason: z.string().max(500).optional(),
  })
  .refine((r) => r.action !== 'replace' || !!r.replacementCode, { message: 'replace needs the code chosen instead', path: ['replacementCode'] });

const cdiQueryRequest = z.object({ uri: text(4000), suggestionId: text(200) });

function parsed<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new ChartcoderError('bad-input', `${what}: ${result.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}`);
}

export const parseDecisionRequest = (raw: unknown): DecisionRequest => parsed(decisionRequest, raw, 'decision');
export const parseCdiQueryRequest = (raw: unknown): CdiQueryRequest => parsed(cdiQueryRequest, raw, 'CDI query item');
