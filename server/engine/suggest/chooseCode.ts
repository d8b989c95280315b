// One model call for one finding: the prompt with its candidate enum, one retry on malformed output, then give up
// with the reason (the caller falls back to retrieval ranking). Never throws for a bad answer.
import type { Llm } from '../ports';
import { parseModelAnswer, type ModelAnswer, type Prompt } from './prompt';

export type Choice =
  | { readonly state: 'answered'; readonly answer: ModelAnswer; readonly model: string; readonly attempts: number; readonly tookMs: number }
  | { readonly state: 'failed'; readonly reason: string; readonly attempts: number };

export async function chooseCode(llm: Llm, prompt: Prompt, allowedCodes: readonly string[], signal?: AbortSignal): Promise<Choice> {
  let reason = '';
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      const reply = await llm.complete({ system: prompt.system, user: prompt.user, schema: prompt.schema }, signal);
      const parsed = parseModelAnswer(reply.content, allowedCodes);
      if (!('problem' in parsed)) return { state: 'answered', answer: parsed, model: reply.model, attempts: attempt, tookMs: reply.tookMs };
      reason = parsed.problem;
    } catch (err) {
      reason = err instanceof Error ? err.message : String(err);
      if (signal?.aborted) break;
    }
  }
  return { state: 'failed', reason, attempts: 2 };
}
