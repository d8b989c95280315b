// What the status bar says about Elasticsearch, Ollama and the FHIR server, free of VS Code: one line, a tooltip
// with each service's state and fix, and which services have just gone down or degraded (announced once).
import type { ServiceHealth } from '../server/protocol';

export interface StatusSummary {
  readonly text: string;
  readonly tooltip: string;
  readonly troubled: readonly ServiceHealth[];
}

const lineOf = (h: ServiceHealth): string =>
  `${h.service}: ${h.state}${h.version ? ` (${h.version})` : ''}${h.details.length ? ` — ${h.details.join('; ')}` : ''}${h.impact ? ` — meanwhile ${h.impact}` : ''}${h.fix ? ` — fix: ${h.fix}` : ''}`;

/** Down or degraded: what the coder is told about (an unconfigured optional service is not trouble). */
const isTrouble = (state: ServiceHealth['state'] | undefined) => state === 'down' || state === 'degraded';

export function statusSummary(health: readonly ServiceHealth[]): StatusSummary {
  const troubled = health.filter((h) => isTrouble(h.state));
  const model = health.find((h) => h.modelVersion)?.modelVersion;
  const text =
    troubled.length === 0
      ? `$(check) Chartcoder${model ? ` · ${model}` : ''}`
      : `$(warning) Chartcoder: ${troubled.map((h) => `${h.service} ${h.state}`).join(', ')}`;
  return { text, tooltip: [...health.map(lineOf), ...(model ? [`tuned model adapter: ${model}`] : [])].join('\n'), troubled };
}

/** Services down or degraded now that were not at the previous check (all of them at the first check). */
export function newlyTroubled(previous: readonly ServiceHealth[] | undefined, now: readonly ServiceHealth[]): ServiceHealth[] {
  const before = new Map((previous ?? []).map((h) => [h.service, h.state]));
  return now.filter((h) => isTrouble(h.state) && (previous === undefined || !isTrouble(before.get(h.service))));
}

/** What the coder is told when a service goes down or degrades: what coding loses and how to fix it. */
export const degradedMessage = (h: ServiceHealth): string =>
  `Chartcoder: ${h.service} is ${h.state} at ${h.endpoint}${h.details.length ? ` (${h.details.join('; ')})` : ''}.${h.impact ? ` Meanwhile ${h.impact}.` : ''}${h.fix ? ` Fix: ${h.fix}` : ''}`;
