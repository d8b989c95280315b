// The Elasticsearch client for the configured cluster, or the locally provisioned node when none is configured.
import { Client } from '@elastic/elasticsearch';
import type { ChartcoderSettings } from '../../protocol';

export function elasticsearchUrl(settings: ChartcoderSettings): string {
  return settings.elasticsearch.url || `http://127.0.0.1:${settings.localPorts.elasticsearch}`;
}

export function createElasticsearchClient(settings: ChartcoderSettings): Client {
  const es = settings.elasticsearch;
  const auth = es.apiKey ? { apiKey: es.apiKey } : es.username && es.password ? { username: es.username, password: es.password } : undefined;
  return new Client({ node: elasticsearchUrl(settings), requestTimeout: es.requestTimeoutMs, maxRetries: 1, ...(auth ? { auth } : {}) });
}

export interface ClusterDescription {
  readonly version: string;
  readonly status: string;
  readonly clusterName: string;
}

/**
 * Version and health. The test distribution has no `GET /` (its rest-root module is absent), so the version comes
 * from the nodes-info API, which every distribution and version since 1.x answers.
 */
export async function describeCluster(client: Client): Promise<ClusterDescription> {
  const [nodes, health] = await Promise.all([client.nodes.info({ node_id: '_local', metric: ['_none'] }), client.cluster.health()]);
  const version = Object.values(nodes.nodes)[0]?.version ?? 'unknown';
  return { version, status: health.status, clusterName: health.cluster_name };
}
