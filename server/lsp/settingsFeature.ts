// Settings the editor sends (initializationOptions, then workspace/didChangeConfiguration): the mode applies at once
// and recodes the open documents; a setting that cannot be used is a warning naming it, never a stopped server.
import { TextDocumentSyncKind, type InitializeResult } from 'vscode-languageserver/node';
import { SUGGEST_MODES, type SuggestMode } from '../engine/suggest/suggestion';
import { Commands, type SettingProblem } from '../protocol';
import { shown, type Session } from './session';

/** The editor's chartcoder.mode; empty: the default. */
const modeOf = (section: unknown): SuggestMode | undefined => {
  const mode = (section as { mode?: unknown } | undefined)?.mode;
  return SUGGEST_MODES.find((m) => m === mode);
};

/** A mode the editor sent that is none of the modes: said, and the default used. */
const unknownMode = (section: unknown): SettingProblem | undefined => {
  const mode = (section as { mode?: unknown } | undefined)?.mode;
  if (mode === undefined || mode === '' || modeOf(section)) return undefined;
  return { setting: 'chartcoder.mode', message: `${JSON.stringify(mode)} is not one of ${SUGGEST_MODES.join(', ')}: the default is used until it is fixed` };
};

const CAPABILITIES: InitializeResult = {
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    hoverProvider: true,
    codeActionProvider: true,
    codeLensProvider: { resolveProvider: false },
    executeCommandProvider: { commands: [Commands.recordDecision, Commands.addToCdiQuery] },
  },
  serverInfo: { name: 'chartcoder', version: '0.1.0' },
};

/** The mode the editor chose, as it stands. */
export interface EditorMode {
  current: SuggestMode | undefined;
}

export function registerSettings(session: Session, editorMode: EditorMode): void {
  const { connection } = session;
  const pending = [...(session.deps.settingProblems ?? [])];
  const warn = (p: SettingProblem) => shown(connection.window.showWarningMessage(`Chartcoder: ${p.setting}: ${p.message}`));
  connection.onInitialize((params) => {
    session.codeLensRefresh = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    editorMode.current = modeOf(params.initializationOptions);
    const badMode = unknownMode(params.initializationOptions);
    if (badMode) pending.push(badMode);
    return CAPABILITIES;
  });
  connection.onInitialized(() => pending.forEach(warn));
  connection.onDidChangeConfiguration((change) => {
    const section = (change.settings as { chartcoder?: unknown } | undefined)?.chartcoder;
    const badMode = unknownMode(section);
    if (badMode) warn(badMode);
    const mode = modeOf(section);
    const modeChanged = mode !== editorMode.current;
    editorMode.current = mode;
    // Every other setting: the app reopens what depends on it, and what could not be used is said, naming it.
    const next = section === undefined ? undefined : session.deps.settingsFromEditor?.(section);
    const reconfigured = next ? session.deps.app.reconfigure(next.settings) : false;
    if (reconfigured) next!.problems.forEach(warn);
    if (modeChanged || reconfigured) for (const document of session.documents.all()) void session.analyze(document);
  });
}
