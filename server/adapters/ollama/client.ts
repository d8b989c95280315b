// The Ollama client with a per-request timeout, so a hung model call never blocks its caller.
import { Ollama } from 'ollama';
import type { OllamaSettings } from '../../protocol';

/** `signal`: a caller's cancellation, honoured together with the configured timeout. */
export function createOllamaClient(settings: OllamaSettings, signal?: AbortSignal): Ollama {
  const timedFetch: typeof fetch = (input, init) => {
    const timeout = AbortSignal.timeout(settings.requestTimeoutMs);
    const signals = [timeout, ...(signal ? [signal] : []), ...(init?.signal ? [init.signal] : [])];
    return fetch(input, { ...init, signal: AbortSignal.any(signals) });
  };
  return new Ollama({ host: settings.host, fetch: timedFetch });
}

export interface OllamaDescription {
  readonly version: string;
  readonly models: readonly { readonly name: string; readonly digest: string }[];
}

export async function describeOllama(client: Ollama): Promise<OllamaDescription> {
  const [version, list] = await Promise.all([client.version(), client.list()]);
  return { version: version.version, models: list.models.map((m) => ({ name: m.name, digest: m.digest })) };
}
