// chartcoder/serviceStatus: the health of Elasticsearch, Ollama and FHIR, with the tuned model's adapter version, for
// the status bar and its command.
import type { Connection } from 'vscode-languageserver/node';
import { checkHealth } from '../health';
import { Methods, type ChartcoderSettings, type ServiceHealth } from '../protocol';

export function registerServiceStatus(connection: Connection, settings: () => ChartcoderSettings, adapterVersion: () => string | undefined): void {
  connection.onRequest(Methods.serviceStatus, async (): Promise<ServiceHealth[]> => {
    const version = adapterVersion();
    return (await checkHealth(settings())).map((h) => (h.service === 'ollama' && version ? { ...h, modelVersion: version } : h));
  });
}
