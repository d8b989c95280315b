// `chartcoder services start|stop [es|ollama|fhir|all]`: start in dependency order, stop in reverse.
import type { ChartcoderSettings, ServiceName } from '../protocol';
import { runScript, type ProvisionScript } from './scripts';

export type ServiceTarget = ServiceName | 'all';

const ALIASES: Readonly<Record<string, ServiceTarget>> = {
  es: 'elasticsearch', elasticsearch: 'elasticsearch', ollama: 'ollama', fhir: 'fhir', all: 'all',
};

export function parseServiceTarget(value: string): ServiceTarget | undefined {
  return ALIASES[value.toLowerCase()];
}

const SCRIPT_OF: Readonly<Record<ServiceName, ProvisionScript>> = { elasticsearch: 'es', ollama: 'ollama', fhir: 'fhir' };
const START_ORDER: readonly ServiceName[] = ['elasticsearch', 'ollama', 'fhir'];

function servicesOf(target: ServiceTarget): ServiceName[] {
  return target === 'all' ? [...START_ORDER] : [target];
}

/** Start each service (Ollama brings its models); stops at the first failure and returns its exit code. */
export async function startServices(settings: ChartcoderSettings, target: ServiceTarget): Promise<number> {
  for (const service of servicesOf(target)) {
    const code = await runScript(settings, SCRIPT_OF[service], 'start');
    if (code !== 0) return code;
    if (service === 'ollama') {
      const pulled = await runScript(settings, 'models', 'pull');
      if (pulled !== 0) return pulled;
    }
  }
  return 0;
}

export async function stopServices(settings: ChartcoderSettings, target: ServiceTarget): Promise<number> {
  let worst = 0;
  for (const service of servicesOf(target).reverse()) {
    worst = Math.max(worst, await runScript(settings, SCRIPT_OF[service], 'stop'));
  }
  return worst;
}

export function pullModels(settings: ChartcoderSettings): Promise<number> {
  return runScript(settings, 'models', 'pull');
}
