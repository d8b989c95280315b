// Messages from the review panel's webview. The webview is untrusted content's neighbour: every message is parsed
// against this schema before it can touch a decision, and anything else is refused with the reason.
import { z } from 'zod';

const id = z.string().min(1).max(200);

export const reviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({
    type: z.literal('decide'),
    uri: z.string().min(1),
    ids: z.array(id).min(1).max(500),
    action: z.enum(['accept', 'reject']),
    reason: z.string().max(500).optional(),
  }),
  z.object({ type: z.literal('reveal'), uri: z.string().min(1), id, evidence: z.number().int().min(0) }),
  z.object({ type: z.literal('export'), uris: z.array(z.string().min(1)).min(1).max(5000), format: z.enum(['csv', 'claim']) }),
]);

export type ReviewMessage = z.infer<typeof reviewMessageSchema>;

export function parseReviewMessage(raw: unknown): { message: ReviewMessage } | { problem: string } {
  const parsed = reviewMessageSchema.safeParse(raw);
  if (parsed.success) return { message: parsed.data };
  return { problem: parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ') };
}
