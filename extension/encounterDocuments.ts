// `chartcoder:` encounter documents in the editor: their text comes from the language server (which reads the FHIR
// server or a Bundle file); "Open encounter from FHIR server…" picks one by patient name or encounter id.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ENCOUNTER_SCHEME, Methods, type EncounterSummary } from '../server/protocol';

const ENCOUNTER_ID = /^[A-Za-z0-9\-.]{1,64}$/;

export function encounterContentProvider(client: () => LanguageClient | undefined): vscode.TextDocumentContentProvider {
  return {
    async provideTextDocumentContent(uri) {
      const running = client();
      if (!running?.isRunning()) throw new Error('Chartcoder: the language server is not running');
      try {
        return await running.sendRequest<string>(Methods.encounterDocument, { uri: uri.toString() });
      } catch (err) {
        void vscode.window.showErrorMessage(`Chartcoder: cannot open ${uri.path.slice(1)}: ${err instanceof Error ? err.message : String(err)}`, 'Configure services')
          .then((choice) => choice && vscode.commands.executeCommand('chartcoder.configureServices'));
        throw err;
      }
    },
  };
}

export async function openEncounter(uri: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  await vscode.window.showTextDocument(document, { preview: false });
}

type EncounterPick = vscode.QuickPickItem & { readonly uri: string };

const pickOf = (s: EncounterSummary): EncounterPick => ({ label: s.label, detail: s.detail, uri: s.uri });
const byId = (id: string): EncounterPick => ({ label: `Open Encounter/${id}`, detail: 'by id', uri: `${ENCOUNTER_SCHEME}:/Encounter/${id}`, alwaysShow: true });

/** A quick pick over the FHIR server's encounters: the latest first, narrowed by what the coder types. */
export async function pickEncounter(find: (text: string) => Promise<EncounterSummary[]>): Promise<string | undefined> {
  const pick = vscode.window.createQuickPick<EncounterPick>();
  pick.placeholder = 'Patient name or Encounter id';
  pick.matchOnDetail = true;
  let asked = 0;
  const search = async (text: string) => {
    const mine = ++asked;
    pick.busy = true;
    try {
      const found = (await find(text)).map(pickOf);
      if (mine === asked) pick.items = [...(ENCOUNTER_ID.test(text.trim()) ? [byId(text.trim())] : []), ...found];
    } catch (err) {
      if (mine === asked) pick.items = [{ label: `$(error) ${err instanceof Error ? err.message : String(err)}`, uri: '' }];
    } finally {
      if (mine === asked) pick.busy = false;
    }
  };
  let timer: NodeJS.Timeout | undefined;
  pick.onDidChangeValue((text) => { clearTimeout(timer); timer = setTimeout(() => void search(text), 300); });
  void search('');
  pick.show();
  const chosen = await new Promise<string | undefined>((resolve) => {
    pick.onDidAccept(() => resolve(pick.selectedItems[0]?.uri || undefined));
    pick.onDidHide(() => resolve(undefined));
  });
  clearTimeout(timer);
  pick.dispose();
  return chosen;
}
