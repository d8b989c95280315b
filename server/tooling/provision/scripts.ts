// Runs the provisioning scripts (scripts/*.sh) with the settings' cache and ports; their progress goes to stderr.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { findProjectRoot, findScriptsDir } from '../../app/projectRoot';
import { ChartcoderError } from '../../engine/errors';
import type { ChartcoderSettings } from '../../protocol';

export { findProjectRoot, findScriptsDir };

export type ProvisionScript = 'es' | 'ollama' | 'models' | 'fhir';

export function scriptEnv(settings: ChartcoderSettings): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CHARTCODER_CACHE_DIR: settings.cacheDir,
    CHARTCODER_ES_PORT: String(settings.localPorts.elasticsearch),
    CHARTCODER_OLLAMA_PORT: String(settings.localPorts.ollama),
    CHARTCODER_FHIR_PORT: String(settings.localPorts.fhir),
    CHARTCODER_OLLAMA_HOST: settings.ollama.host,
    CHARTCODER_CHAT_MODEL: settings.ollama.chatModel,
    CHARTCODER_EMBED_MODEL: settings.ollama.embedModel,
  };
}

/** Run one script action; resolves with its exit code (the script has already said what failed). */
export function runScript(settings: ChartcoderSettings, script: ProvisionScript, action: string): Promise<number> {
  const path = join(findScriptsDir(), `${script}.sh`);
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path, action], { env: scriptEnv(settings), stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (cause) => reject(new ChartcoderError('provision-failed', `cannot run ${path}`, { cause })));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}
