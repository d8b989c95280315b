// Seeds the FHIR test server with transaction Bundles: our synthetic coded encounters, then the Synthea sample
// (ndjson from ../shared/data/synthea, unpacked by scripts/fhir.sh). Reads and writes only through fhir-kit-client.
// usage: node --import tsx scripts/fhirTestServer/seed.ts BASE_URL [SYNTHEA_DIR]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { syntheticTransaction } from '../../test/fixtures/fhir/syntheticEncounters';

// fhir-kit-client types bodies as an open record; a typed Bundle is one.
type FhirKitBody = Bundle & Record<string, unknown>;

const CHUNK = 50; // Medplum's router allows at most 50 updates per transaction
const SKIPPED_TYPES = new Set(['log']);

function syntheaEntries(dir: string): BundleEntry[] {
  const entries: BundleEntry[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.ndjson'))
    .sort()) {
    if (SKIPPED_TYPES.has(file.split('.')[0] ?? '')) continue;
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const resource = JSON.parse(line) as Resource & { id: string };
      entries.push({ resource, request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` } });
    }
  }
  return entries;
}

async function main(): Promise<void> {
  const [baseUrl, syntheaDir] = process.argv.slice(2);
  if (!baseUrl) throw new Error('usage: seed.ts BASE_URL [SYNTHEA_DIR]');
  const { Client } = await import('fhir-kit-client'); // ESM-only package
  const client = new Client({ baseUrl });
  await client.transaction({ body: syntheticTransaction() as FhirKitBody });
  let loaded = syntheticTransaction().entry?.length ?? 0;
  if (syntheaDir) {
    const entries = syntheaEntries(syntheaDir);
    for (let i = 0; i < entries.length; i += CHUNK) {
      const body: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: entries.slice(i, i + CHUNK) };
      await client.transaction({ body: body as FhirKitBody });
      loaded += body.entry?.length ?? 0;
      if (loaded % 1000 < CHUNK) process.stderr.write(`[chartcoder]   seeded ${loaded} resources\n`);
    }
  }
  process.stderr.write(`[chartcoder]   ${loaded} resources loaded\n`);
}

function describe(err: unknown): string {
  const outcome = (err as { response?: { data?: { issue?: { details?: { text?: string }; diagnostics?: string }[] } } }).response?.data;
  const detail = outcome?.issue?.map((i) => i.details?.text ?? i.diagnostics).join('; ');
  return [err instanceof Error ? err.message : String(err), detail].filter(Boolean).join(': ');
}

main().catch((err: unknown) => {
  process.stderr.write(`chartcoder: FHIR seeding failed: ${describe(err)}\n`);
  process.exit(1);
});
