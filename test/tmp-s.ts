import { readEncounter } from '../server/encounter/readEncounter';
import { finalResult } from '../server/engine/suggest/suggestEncounter';
import { openSuggester } from '../server/suggest/openSuggester';
import { loadSettings } from '../server/config/load';
(async () => {
  const settings = loadSettings();
  const s = await openSuggester(settings, { projectRoot: '/work/main', codingModel: process.argv[2] ?? 'chartcoder-coding-train', backend: 'embedded' });
  for (const id of ['synthetic-enc-chf', 'synthetic-enc-dm-ckd', 'synthetic-enc-fracture']) {
    const view = await readEncounter(settings, { kind: 'bundle', path: '/work/main/data/samples/synthetic-encounters.json', id });
    const r = await finalResult(s.suggest(view, { mode: 'retrieval' }));
    for (const x of r.suggestions) console.log(id, x.code, x.confidence, JSON.stringify(x.evidence.map((e) => e.text)), x.findings.map((f) => f.rule).join(','));
  }
})();
