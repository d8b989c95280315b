// The language client: the bundled server over IPC with the user's chartcoder.* settings and SecretStorage tokens in
// its environment, the documents it codes, and hover links trusted only for the open-guidance command.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { Commands, ENCOUNTER_SCHEME, SECRET_SETTINGS, serverEnvironment } from '../server/protocol';
import { reviewPreferences } from './configuration';

const read = (key: string): unknown => vscode.workspace.getConfiguration('chartcoder').get(key);

const warnIgnored = (problems: readonly string[]) => {
  for (const p of problems) void vscode.window.showWarningMessage(`Chartcoder: ${p} (ignored)`);
};

/** The review preferences as configured; a wrong value is said and the default used. */
export function preferences(): ReturnType<typeof reviewPreferences> {
  const found = reviewPreferences(read);
  warnIgnored(found.problems);
  return found;
}

async function serverOptions(context: vscode.ExtensionContext): Promise<ServerOptions> {
  const secrets = Object.fromEntries(await Promise.all(SECRET_SETTINGS.map(async (s) => [s.key, await context.secrets.get(`chartcoder.${s.key}`)] as const)));
  const { env, problems } = serverEnvironment(read, secrets);
  warnIgnored(problems);
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const options = { env: { ...process.env, ...env } };
  return {
    run: { module, transport: TransportKind.ipc, options },
    debug: { module, transport: TransportKind.ipc, options: { ...options, execArgv: ['--nolazy', '--inspect=6009'] } },
  };
}

export async function createLanguageClient(context: vscode.ExtensionContext): Promise<LanguageClient> {
  const notePattern = (read('notePattern') as string | undefined) || '**/*.note.txt';
  const clientOptions: LanguageClientOptions = {
    initializationOptions: { mode: preferences().mode ?? '' },
    synchronize: { configurationSection: 'chartcoder' },
    documentSelector: [
      { scheme: 'file', pattern: notePattern },
      { scheme: 'untitled', language: 'plaintext' },
      { scheme: 'file', language: 'json' },
      { scheme: ENCOUNTER_SCHEME },
    ],
    markdown: { isTrusted: { enabledCommands: [Commands.openGuidance] } },
  };
  return new LanguageClient('chartcoder', 'Chartcoder', await serverOptions(context), clientOptions);
}
