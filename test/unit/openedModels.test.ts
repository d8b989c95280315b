import assert from 'node:assert/strict';
import { openedModels } from '../../server/app/openedModels';
import type { Llm } from '../../server/engine/ports';

describe("a suggester's opened models", () => {
  const opener = () => {
    const opened: string[] = [];
    const open = (model: string): Llm => {
      opened.push(model);
      return { model, complete: async () => ({ content: '{}', model, tookMs: 0 }) };
    };
    return { opened, models: openedModels(open) };
  };

  it('opens a model once for every note while Ollama serves the same weights', () => {
    const { opened, models } = opener();
    const first = models('chartcoder-encounter', 'sha256:aaa');
    assert.equal(models('chartcoder-encounter', 'sha256:aaa'), first);
    assert.notEqual(models('chartcoder-base', 'sha256:bbb'), first);
    assert.deepEqual(opened, ['chartcoder-encounter', 'chartcoder-base']);
  });

  it('opens it again when Ollama serves other weights under the name (a re-imported adapter), so provenance names them', () => {
    const { opened, models } = opener();
    const before = models('chartcoder-encounter', 'sha256:aaa');
    const after = models('chartcoder-encounter', 'sha256:ccc');
    assert.notEqual(after, before);
    assert.equal(models('chartcoder-encounter', 'sha256:ccc'), after);
    assert.deepEqual(opened, ['chartcoder-encounter', 'chartcoder-encounter']);
  });
});
