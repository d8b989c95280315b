// chartcoder/serviceStatus: the health of the services coding rests on, for the status bar and its command.
import type { Connection } from 'vscode-languageserver/node';
import type { ServiceProbe } from '../app/ports';
import { Methods, type ServiceHealth } from '../protocol';

export function registerServiceStatus(connection: Connection, probe: ServiceProbe): void {
  connection.onRequest(Methods.serviceStatus, (): Promise<ServiceHealth[]> => probe());
}
