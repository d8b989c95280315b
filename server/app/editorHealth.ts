// The health of what coding in the editor rests on (chartcoder/serviceStatus) — the retrieval index (the configured
// Elasticsearch cluster, or the embedded index when none is configured), Ollama with the tuned model's adapter
// version, and the configured FHIR server (off when none is) — for the status bar and its command.
import { readEmbeddedMeta } from '../adapters/embedded/embeddedIndex';
import { knnCoverageProblem } from '../engine/ports';
import { elasticsearchHealth, fhirHealth, ollamaHealth } from './health';
import { embeddedIndexDir } from '../indexing/buildIndex';
import type { ChartcoderSettings, ServiceHealth } from '../protocol';

/** With no cluster configured the embedded index is the retrieval backend: its presence is what matters. */
function embeddedIndexHealth(settings: ChartcoderSettings): ServiceHealth {
  const dir = embeddedIndexDir(settings, settings.knowledge.fy);
  const meta = readEmbeddedMeta(dir);
  if (!meta) {
    return {
      service: 'elasticsearch',
      state: 'down',
      endpoint: `embedded index ${dir}`,
      details: ['no cluster configured, and the embedded index is not built'],
      impact: 'nothing can be coded: there is no guidance to retrieve',
      fix: `run: chartcoder index build --backend embedded (or set chartcoder.cacheDir to the cache where it was built)`,
    };
  }
  const incomplete = knnCoverageProblem({ vectors: meta.vectors, ...(meta.expectedVectors !== undefined ? { expected: meta.expectedVectors } : {}) });
  return {
    service: 'elasticsearch',
    state: incomplete ? 'degraded' : 'up',
    endpoint: `embedded index ${dir}`,
    version: meta.indexVersion,
    details: [`no cluster configured: the embedded index serves retrieval (${meta.docs} documents, ${meta.vectors} vectors)`],
    ...(incomplete
      ? {
          impact: incomplete.replace(/ — .*/, ': guidance is found by words alone where vectors are missing'),
          fix: 'run: chartcoder index build (it resumes from the cached vectors)',
        }
      : {}),
  };
}

/** The editor reads encounters only from a configured FHIR server (never the local test server). */
const fhirNotConfigured: ServiceHealth = {
  service: 'fhir',
  state: 'off',
  endpoint: 'not configured',
  details: ['notes and FHIR Bundle files code without one'],
  fix: 'to open encounters from your EHR, set chartcoder.fhir.baseUrl (Chartcoder: Configure services)',
};

export async function editorHealth(settings: ChartcoderSettings, adapterVersion: string | undefined): Promise<ServiceHealth[]> {
  const [retrieval, ollama, fhir] = await Promise.all([
    settings.elasticsearch.url ? elasticsearchHealth(settings) : embeddedIndexHealth(settings),
    ollamaHealth(settings),
    settings.fhir.baseUrl ? fhirHealth(settings) : fhirNotConfigured,
  ]);
  return [retrieval, adapterVersion ? { ...ollama, modelVersion: adapterVersion } : ollama, fhir];
}
