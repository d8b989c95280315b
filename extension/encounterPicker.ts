// "Open encounter from FHIR server…": a quick pick of the server's encounters by patient name or encounter id, each
// opened as a `chartcoder:` encounter document.
import * as vscode from 'vscode';
import { ENCOUNTER_SCHEME, type EncounterSummary } from '../server/protocol';

const ENCOUNTER_ID = /^[A-Za-z0-9\-.]{1,64}$/;

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
  pick.onDidChangeValue((text) => {
    clearTimeout(timer);
    timer = setTimeout(() => void search(text), 300);
  });
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
