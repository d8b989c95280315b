import assert from 'node:assert/strict';
import type { Client } from '@elastic/elasticsearch';
import { createElasticsearchClient, describeCluster } from '../../server/adapters/elasticsearch/client';
import { createOllamaClient } from '../../server/adapters/ollama/client';
import { localSettings } from '../helpers/settings';

const INDEX = `chartcoder-it-${process.pid}`;
const DOCS = [
  { id: 'I50.23', title: 'Acute on chronic systolic (congestive) heart failure' },
  { id: 'E11.22', title: 'Type 2 diabetes mellitus with diabetic chronic kidney disease' },
  { id: 'S52.321A', title: 'Displaced transverse fracture of shaft of right radius, initial encounter' },
];

describe('Elasticsearch (real node, @elastic/elasticsearch)', () => {
  const settings = localSettings();
  let es: Client;

  before(() => {
    es = createElasticsearchClient(settings);
  });
  after(async () => {
    await es.indices.delete({ index: INDEX, ignore_unavailable: true });
    await es.close();
  });

  it('is version 8.19.x', async () => {
    const cluster = await describeCluster(es);
    assert.match(cluster.version, /^8\.19\.\d+$/);
    assert.notEqual(cluster.status, 'red');
  });

  it('indexes documents with a 384-d dense_vector and answers kNN and BM25 queries', async () => {
    const ollama = createOllamaClient(settings.ollama);
    const { embeddings } = await ollama.embed({ model: settings.ollama.embedModel, input: DOCS.map((d) => d.title) });
    await es.indices.create({
      index: INDEX,
      mappings: {
        properties: {
          title: { type: 'text' },
          vector: { type: 'dense_vector', dims: 384, index: true, similarity: 'cosine' },
        },
      },
    });
    await es.bulk({ refresh: true, operations: DOCS.flatMap((d, i) => [{ index: { _index: INDEX, _id: d.id } }, { title: d.title, vector: embeddings[i] }]) });

    const [query] = (await ollama.embed({ model: settings.ollama.embedModel, input: 'worsening congestive cardiac failure' })).embeddings;
    const knn = await es.search({ index: INDEX, knn: { field: 'vector', query_vector: query, k: 3, num_candidates: 10 } });
    assert.equal(knn.hits.hits[0]?._id, 'I50.23');

    const bm25 = await es.search({ index: INDEX, query: { match: { title: 'diabetes kidney' } } });
    assert.equal(bm25.hits.hits[0]?._id, 'E11.22');
    assert.equal(bm25.hits.hits.length, 1);
  });
});
