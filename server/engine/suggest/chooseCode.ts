// One model call for one finding: the prompt with its candidate enum, one retry on malformed output, then give up
// with the reason (the caller falls back to retrieval ranking). Never throws for a bad answer.
import type { Llm, TokenLogprob } from '../ports';
import { parseModelAnswer, type ModelAnswer, type Prompt } from './prompt';

export type Choice =
  | {
      readonly state: 'answered';
      readonly answer: ModelAnswer;
      readonly model: string;
      readonly attempts: number;
      readonly tookMs: number;
      readonly tokens?: readonly TokenLogprob[];
    }
  | { readonly state: 'failed'; readonly reason: string; readonly attempts: number; readonly tookMs: number };

/** `allowedCodes` undefined: any well-formed code (ft mode); verification decides whether it exists. */
export async function chooseCode(llm: Llm, prompt: Prompt, allowedCodes: readonly string[] | undefined, signal?: AbortSignal): Promise<Choice> {
  let reason = '';
  let tookMs = 0;
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      const reply = await llm.complete({ system: prompt.system, user: prompt.user, schema: prompt.schema }, signal);
      tookMs += reply.tookMs;
      const parsed = parseModelAnswer(reply.content, allowedCodes);
      if (!('problem' in parsed))
        return { state: 'answered', answer: parsed, model: reply.model, attempts: attempt, tookMs, ...(reply.tokens ? { tokens: reply.tokens } : {}) };
      reason = parsed.problem;
    } catch (err) {
      reason = err instanceof Error ? err.message : String(err);
      if (signal?.aborted) return { state: 'failed', reason, attempts: attempt, tookMs };
    }
  }
  return { state: 'failed', reason, attempts: 2, tookMs };
}
