// The kNN leg heals: an embedder opened while Ollama is down is tried again, and used once Ollama is back.
import assert from 'node:assert/strict';
import { openEmbedder } from '../../server/app/openRetriever';
import { loadSettings } from '../../server/config/load';
import { ROOT } from '../helpers/run';

describe('healing embedder', () => {
  it('degraded while Ollama is down, with the reason; back by itself once Ollama answers again', async () => {
    let up = false;
    const create = async () => {
      if (!up) throw new Error('fetch failed (ECONNREFUSED)');
      return { model: 'chartcoder-embed@000000000000', digest: 'd', embed: async (texts: readonly string[]) => texts.map(() => [1, 0]) };
    };
    const embedder = await openEmbedder(loadSettings({ projectRoot: ROOT }), 'chartcoder-embed@000000000000', { create });
    await assert.rejects(embedder.embed(['heart failure']), /embedding model unavailable: fetch failed \(ECONNREFUSED\)/);
    up = true;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    assert.deepEqual(await embedder.embed(['heart failure']), [[1, 0]], 'kNN is back without a restart');
  });

  it('an index embedded with another model stays degraded until it is rebuilt', async () => {
    const create = async () => ({ model: 'other-embed@111111111111', digest: 'e', embed: async () => [[1]] });
    const embedder = await openEmbedder(loadSettings({ projectRoot: ROOT }), 'chartcoder-embed@000000000000', { create });
    await assert.rejects(embedder.embed(['x']), /rebuild the index/);
  });
});
