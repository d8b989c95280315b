// chartcoder/serviceStatus: the health of Elasticsearch, Ollama and FHIR, for the status bar and its command.
import type { Connection } from 'vscode-languageserver/node';
import { checkHealth } from '../health';
import { Methods, type ChartcoderSettings, type ServiceHealth } from '../protocol';

export function registerServiceStatus(connection: Connection, settings: () => ChartcoderSettings): void {
  connection.onRequest(Methods.serviceStatus, (): Promise<ServiceHealth[]> => checkHealth(settings()));
}
