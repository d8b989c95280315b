// Root hooks: start the real services through the CLI (as a user would) and build the knowledge index on both
// backends (a no-op when up to date; on a fresh machine it embeds the knowledge base, longer than any one test may
// take); stop afterwards only the services this run started.
import type { ServiceHealth } from '../../server/protocol';
import { cli } from '../helpers/run';
import { buildIndexOf } from '../helpers/suggesters';

let startedHere: string[] = [];

async function health(): Promise<ServiceHealth[]> {
  const r = await cli(['services', 'status', '--json']);
  return JSON.parse(r.stdout) as ServiceHealth[];
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(60 * 60 * 1000);
    const before = await health();
    startedHere = before.filter((h) => h.state === 'down').map((h) => h.service);
    process.stderr.write(`[integration] starting services (down before: ${startedHere.join(', ') || 'none'})\n`);
    const r = await cli(['services', 'start', 'all'], process.env, true);
    if (r.code !== 0) throw new Error(`chartcoder services start all exited ${r.code}:\n${r.stdout}`);
    for (const backend of ['embedded', 'es'] as const) await buildIndexOf(backend);
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(120_000);
    for (const service of startedHere) await cli(['services', 'stop', service]);
  },
};
