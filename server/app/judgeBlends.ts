// The judge's blend beside its coding model: training/models/<coding model>/judge-<ollama model>.json, written by
// `chartcoder train judge`. Without a blend fitted for this version of the coding model, rag and ft+rag run the
// per-mention model path, and their results say why.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { JudgeBlend } from '../engine/coder/judgeBlend';
import { JUDGE_PROMPT_VERSION } from '../engine/suggest/judgePrompt';

const judgeBlendSchema = z.object({
  schemaVersion: z.literal(2),
  llm: z.string(),
  codingModel: z.string(),
  band: z.number().min(0).max(1),
  maxPerSentence: z.number().int().min(1),
  maxSentences: z.number().int().min(1),
  promptVersion: z.number().int(),
  weights: z.object({ ranker: z.number(), model: z.number(), bias: z.number() }),
  fit: z.record(z.union([z.number(), z.string()])),
});

export const judgeBlendPath = (codingModelDir: string, llm: string): string => join(codingModelDir, `judge-${llm.replace(/[^\w.-]/g, '_')}.json`);

export function writeJudgeBlend(codingModelDir: string, blend: JudgeBlend): string {
  const path = judgeBlendPath(codingModelDir, blend.llm);
  writeFileSync(path, `${JSON.stringify(judgeBlendSchema.parse(blend), null, 2)}\n`);
  return path;
}

export function readJudgeBlend(codingModelDir: string, llm: string, codingModelVersion: string): { blend: JudgeBlend } | { problem: string } {
  const path = judgeBlendPath(codingModelDir, llm);
  const fix = `run chartcoder train judge --llm ${llm}`;
  if (!existsSync(path)) return { problem: `model: no judge fitted for ${llm} with ${codingModelVersion} (${fix}); the per-mention model path runs` };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return { problem: `model: ${path} is not JSON (${(err as Error).message}; ${fix}); the per-mention model path runs` };
  }
  const parsed = judgeBlendSchema.safeParse(json);
  if (!parsed.success) return { problem: `model: ${path} is not a judge blend (${parsed.error.issues[0]?.message}; ${fix}); the per-mention model path runs` };
  if (parsed.data.promptVersion !== JUDGE_PROMPT_VERSION)
    return {
      problem: `model: the judge for ${llm} was fitted with judge prompt ${parsed.data.promptVersion}, not ${JUDGE_PROMPT_VERSION} (${fix}); the per-mention model path runs`,
    };
  if (parsed.data.codingModel !== codingModelVersion)
    return {
      problem: `model: the judge for ${llm} was fitted for ${parsed.data.codingModel}, not ${codingModelVersion} (${fix}); the per-mention model path runs`,
    };
  return { blend: parsed.data as JudgeBlend };
}
