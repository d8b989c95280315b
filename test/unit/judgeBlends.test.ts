import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeBlendPath, readJudgeBlend, writeJudgeBlend } from '../../server/app/judgeBlends';
import type { JudgeBlend } from '../../server/engine/coder/judgeBlend';
import { JUDGE_PROMPT_VERSION } from '../../server/engine/suggest/judgePrompt';

describe('judge blends beside their coding model', () => {
  const blend: JudgeBlend = {
    schemaVersion: 2,
    promptVersion: JUDGE_PROMPT_VERSION,
    llm: 'chartcoder-coder',
    codingModel: 'chartcoder-coding-train+abc',
    band: 0.15,
    maxPerSentence: 4,
    maxSentences: 5,
    weights: { ranker: 1.1, model: 0.2, bias: -0.1 },
    fit: { documents: 40 },
  };

  it('reads back what was written, for the coding model it was fitted for', () => {
    const dir = mkdtempSync(join(tmpdir(), 'judge-'));
    writeJudgeBlend(dir, blend);
    assert.deepEqual(readJudgeBlend(dir, 'chartcoder-coder', 'chartcoder-coding-train+abc'), { blend });
  });

  it('missing, fitted for another version, or unreadable: a problem naming the fix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'judge-'));
    const missing = readJudgeBlend(dir, 'chartcoder-base', 'v1');
    assert.ok('problem' in missing && /no judge fitted for chartcoder-base.*train judge --llm chartcoder-base/.test(missing.problem));
    writeJudgeBlend(dir, blend);
    const stale = readJudgeBlend(dir, 'chartcoder-coder', 'chartcoder-coding-train+def');
    assert.ok('problem' in stale && /fitted for chartcoder-coding-train\+abc, not chartcoder-coding-train\+def/.test(stale.problem));
    writeJudgeBlend(dir, { ...blend, promptVersion: JUDGE_PROMPT_VERSION - 1 });
    const older = readJudgeBlend(dir, 'chartcoder-coder', 'chartcoder-coding-train+abc');
    assert.ok('problem' in older && /fitted with judge prompt \d+, not \d+/.test(older.problem));
    writeFileSync(judgeBlendPath(dir, 'chartcoder-coder'), '{"schemaVersion": 2}');
    const wrong = readJudgeBlend(dir, 'chartcoder-coder', 'chartcoder-coding-train+abc');
    assert.ok('problem' in wrong && /is not a judge blend/.test(wrong.problem));
    writeFileSync(judgeBlendPath(dir, 'chartcoder-coder'), '{');
    const broken = readJudgeBlend(dir, 'chartcoder-coder', 'chartcoder-coding-train+abc');
    assert.ok('problem' in broken && /is not JSON/.test(broken.problem));
  });
});
