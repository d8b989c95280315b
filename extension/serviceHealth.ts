// What the status bar says about Elasticsearch, Ollama and the FHIR server, free of VS Code: one line, a tooltip
// with each service's state and fix, and which services have just stopped being up (those are announced once).
import type { ServiceHealth } from '../server/protocol';

export interface StatusSummary {
  readonly text: string;
  readonly tooltip: string;
  readonly notUp: readonly ServiceHealth[];
}

const lineOf = (h: ServiceHealth): string =>
  `${h.service}: ${h.state}${h.version ? ` (${h.version})` : ''}${h.details.length ? ` — ${h.details.join('; ')}` : ''}${h.impact ? ` — meanwhile ${h.impact}` : ''}${h.fix ? ` — fix: ${h.fix}` : ''}`;

export function statusSummary(health: readonly ServiceHealth[]): StatusSummary {
  const notUp = health.filter((h) => h.state !== 'up');
  const model = health.find((h) => h.modelVersion)?.modelVersion;
  const text = notUp.length === 0
    ? `$(check) Chartcoder${model ? ` · ${model}` : ''}`
    : `$(warning) Chartcoder: ${notUp.map((h) => `${h.service} ${h.state}`).join(', ')}`;
  return { text, tooltip: [...health.map(lineOf), ...(model ? [`tuned model adapter: ${model}`] : [])].join('\n'), notUp };
}

/** Services not up now that were up at the previous check (all of them at the first check). */
export function newlyNotUp(previous: readonly ServiceHealth[] | undefined, now: readonly ServiceHealth[]): ServiceHealth[] {
  const before = new Map((previous ?? []).map((h) => [h.service, h.state]));
  return now.filter((h) => h.state !== 'up' && (previous === undefined || before.get(h.service) === 'up'));
}

/** What the coder is told when a service stops being up: what is degraded and how to fix it. */
export const degradedMessage = (h: ServiceHealth): string =>
  `Chartcoder: ${h.service} is ${h.state} at ${h.endpoint}${h.details.length ? ` (${h.details.join('; ')})` : ''}.${h.impact ? ` Meanwhile ${h.impact}.` : ''}${h.fix ? ` Fix: ${h.fix}` : ''}`;
