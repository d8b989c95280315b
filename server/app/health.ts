// One health check per service, each bounded in time, none allowed to fail the others.
import { createElasticsearchClient, describeCluster, elasticsearchUrl } from '../adapters/elasticsearch/client';
import { createFhirClient, readCapabilityStatement } from '../adapters/fhir/client';
import { createOllamaClient, describeOllama } from '../adapters/ollama/client';
import { describeError } from '../engine/errors';
import type { ChartcoderSettings, ServiceHealth } from '../protocol';

export function fhirBaseUrl(settings: ChartcoderSettings): string {
  return settings.fhir.baseUrl || `http://127.0.0.1:${settings.localPorts.fhir}/fhir`;
}

export async function elasticsearchHealth(settings: ChartcoderSettings): Promise<ServiceHealth> {
  const endpoint = elasticsearchUrl(settings);
  const client = createElasticsearchClient(settings);
  try {
    const c = await describeCluster(client);
    const state = c.status === 'red' ? 'degraded' : 'up';
    return { service: 'elasticsearch', state, endpoint, version: c.version, details: [`cluster ${c.clusterName}: ${c.status}`] };
  } catch (err) {
    return {
      service: 'elasticsearch',
      state: 'down',
      endpoint,
      details: [describeError(err)],
      impact: settings.elasticsearch.url
        ? 'guidance cannot be retrieved from the cluster: coding fails until it answers'
        : 'only the local cluster is down; coding uses the embedded index',
      fix: settings.elasticsearch.url ? 'check chartcoder.elasticsearch.url and its credentials' : 'run: chartcoder services start es',
    };
  } finally {
    await client.close();
  }
}

export async function ollamaHealth(settings: ChartcoderSettings): Promise<ServiceHealth> {
  const o = settings.ollama;
  try {
    const d = await describeOllama(createOllamaClient({ ...o, requestTimeoutMs: 5000 }));
    const names = new Set(d.models.map((m) => m.name.replace(/:latest$/, '')));
    const missing = [o.chatModel, o.embedModel].filter((m) => !names.has(m));
    const details = d.models.map((m) => `${m.name} (${m.digest.slice(0, 12)})`);
    if (missing.length === 0) return { service: 'ollama', state: 'up', endpoint: o.host, version: d.version, details };
    return {
      service: 'ollama',
      state: 'degraded',
      endpoint: o.host,
      version: d.version,
      details: [...details, `missing: ${missing.join(', ')}`],
      impact: missing.includes(o.embedModel)
        ? 'retrieval runs BM25 only (no dense vectors); model modes without their model rank by retrieval'
        : 'rag ranks by retrieval instead of asking the model',
      fix: 'run: chartcoder models pull',
    };
  } catch (err) {
    return {
      service: 'ollama',
      state: 'down',
      endpoint: o.host,
      details: [describeError(err)],
      impact: 'retrieval runs BM25 only (no dense vectors) and model modes rank by retrieval; ft codes nothing',
      fix: 'run: chartcoder services start ollama',
    };
  }
}

export async function fhirHealth(settings: ChartcoderSettings): Promise<ServiceHealth> {
  const endpoint = fhirBaseUrl(settings);
  try {
    const cs = await readCapabilityStatement(await createFhirClient({ ...settings.fhir, requestTimeoutMs: 5000 }, endpoint));
    const software = cs.software ? `${cs.software.name}${cs.software.version ? ' ' + cs.software.version : ''}` : 'unnamed software';
    return { service: 'fhir', state: 'up', endpoint, version: cs.fhirVersion ?? 'unknown', details: [software] };
  } catch (err) {
    return {
      service: 'fhir',
      state: 'down',
      endpoint,
      details: [describeError(err)],
      impact: 'encounters cannot be read from the FHIR server; notes and Bundle files still code',
      fix: settings.fhir.baseUrl ? 'check chartcoder.fhir.baseUrl and its auth' : 'run: chartcoder services start fhir',
    };
  }
}

export async function checkHealth(settings: ChartcoderSettings): Promise<ServiceHealth[]> {
  return Promise.all([elasticsearchHealth(settings), ollamaHealth(settings), fhirHealth(settings)]);
}

const STATE_LABELS: Readonly<Record<ServiceHealth['state'], string>> = { up: 'OK  ', degraded: 'WARN', down: 'DOWN', off: 'OFF ' };

export function formatHealth(report: readonly ServiceHealth[]): string {
  return report
    .map((h) => {
      const head = `${STATE_LABELS[h.state]} ${h.service.padEnd(13)} ${h.endpoint}${h.version ? `  version ${h.version}` : ''}`;
      const lines = h.details.map((d) => `       ${d}`);
      return [head, ...lines, ...(h.impact ? [`       impact: ${h.impact}`] : []), ...(h.fix ? [`       fix: ${h.fix}`] : [])].join('\n');
    })
    .join('\n');
}
