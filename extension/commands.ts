// The command table: every Chartcoder command, what it needs, and what it does. A command that needs the language
// server says so when it is not running, and any failure is said in one message instead of a stack.
import * as vscode from 'vscode';
import { Methods, REJECT_REASONS, type CdiQuery, type EncounterSummary, type SuggestionsAnswer } from '../server/protocol';
import { showCdiQuery } from './cdiQueryView';
import { ExtensionCommands, InternalCommands, type CommandId } from './commandIds';
import { configureServices } from './configureServices';
import { acceptableAbove } from './encounterCodes';
import { revealEvidence, type CodeNode } from './encounterCodesView';
import { pickEncounter } from './encounterPicker';
import type { ChartcoderContext } from './context';
import { codeFolder, pickFolder } from './folderReview';
import { preferences } from './languageClient';
import { openEncounter, openGuidance } from './serverDocuments';

interface CommandSpec {
  readonly needsServer: boolean;
  run(ctx: ChartcoderContext, ...args: never[]): unknown;
}

const info = (message: string) => void vscode.window.showInformationMessage(`Chartcoder: ${message}`);
const activeUri = () => vscode.window.activeTextEditor?.document.uri.toString();

const TABLE: Readonly<Record<CommandId, CommandSpec>> = {
  [InternalCommands.revealEvidence]: { needsServer: false, run: (_ctx, uri: string, start: number, end: number) => revealEvidence(uri, start, end) },
  [InternalCommands.openEncounter]: { needsServer: true, run: (_ctx, uri: string) => openEncounter(uri) },
  [InternalCommands.openGuidance]: { needsServer: true, run: (_ctx, link: string) => openGuidance(link) },
  [ExtensionCommands.showServiceStatus]: { needsServer: false, run: (ctx) => ctx.status.check(true) },
  [ExtensionCommands.configureServices]: { needsServer: false, run: (ctx) => configureServices(ctx) },
  [ExtensionCommands.acceptSuggestion]: {
    needsServer: true,
    async run(ctx, node?: CodeNode) {
      const uri = ctx.view.current?.uri;
      if (uri && node?.kind === 'code') await ctx.decide({ uri, suggestionId: node.item.id, action: 'accept' });
    },
  },
  [ExtensionCommands.rejectSuggestion]: {
    needsServer: true,
    async run(ctx, node?: CodeNode) {
      const uri = ctx.view.current?.uri;
      if (!uri || node?.kind !== 'code') return;
      const reason = await vscode.window.showQuickPick(REJECT_REASONS, { placeHolder: `Why reject ${node.item.code}?` });
      if (reason) await ctx.decide({ uri, suggestionId: node.item.id, action: 'reject', reason });
    },
  },
  [ExtensionCommands.openEncounterFromFhirServer]: {
    needsServer: true,
    async run(ctx) {
      const uri = await pickEncounter((text) => ctx.client.sendRequest<EncounterSummary[]>(Methods.findEncounters, { text }));
      if (uri) await openEncounter(uri);
    },
  },
  [ExtensionCommands.showCdiQuery]: {
    needsServer: true,
    async run(ctx) {
      const uri = activeUri();
      if (!uri) {
        info('open a coded note or encounter first.');
        return;
      }
      await showCdiQuery(await ctx.client.sendRequest<CdiQuery>(Methods.cdiQuery, { uri }));
    },
  },
  [ExtensionCommands.codeCurrentDocument]: {
    needsServer: true,
    async run(ctx) {
      const uri = activeUri();
      if (!uri) {
        info('open a note (*.note.txt), a FHIR Bundle (*.fhir.json) or an encounter from the FHIR server to code it.');
        return;
      }
      const answer = await ctx.answerFor(uri);
      if (answer.version === null) info('coding this document; suggestions appear in the Encounter codes view when ready.');
      else ctx.remember(answer);
    },
  },
  [ExtensionCommands.acceptAllAboveConfidence]: {
    needsServer: true,
    async run(ctx) {
      const uri = activeUri();
      const answer = uri ? ctx.answers.get(uri) : undefined;
      if (!uri || !answer) {
        info('no suggestions for the active document yet.');
        return;
      }
      const typed = await vscode.window.showInputBox({
        prompt: 'Accept pending codes at or above this confidence (0–1) with no rule findings to review',
        value: String(preferences().minimumConfidence),
        validateInput: (v) => (/^(0(\.\d+)?|1(\.0+)?)$/.test(v.trim()) ? undefined : 'a number from 0 to 1'),
      });
      if (typed === undefined) return;
      const chosen = acceptableAbove(answer.items, Number(typed));
      for (const item of chosen) await ctx.decide({ uri, suggestionId: item.id, action: 'accept' });
      info(`accepted ${chosen.length} code${chosen.length === 1 ? '' : 's'} at or above ${typed}.`);
    },
  },
  [ExtensionCommands.showReviewPanel]: {
    needsServer: true,
    async run(ctx) {
      const uri = activeUri();
      if (!uri) {
        info('open a coded note first.');
        return;
      }
      ctx.review.show([ctx.answers.get(uri) ?? (await ctx.answerFor(uri))], `Review: ${vscode.Uri.parse(uri).path.split('/').pop()}`);
    },
  },
  [ExtensionCommands.reviewFolder]: {
    needsServer: true,
    async run(ctx, given?: vscode.Uri) {
      const folder = await pickFolder(given);
      const coded = folder && (await codeFolder(folder, (uri) => ctx.client.sendRequest<SuggestionsAnswer>(Methods.codeDocument, { uri })));
      if (!folder || !coded) return;
      for (const answer of coded.answers) ctx.remember(answer);
      if (coded.failures.length)
        void vscode.window.showWarningMessage(
          `Chartcoder: ${coded.failures.length} file(s) not coded: ${coded.failures.slice(0, 3).join('; ')}${coded.failures.length > 3 ? '…' : ''}`,
        );
      ctx.review.show(coded.answers, `Review: ${vscode.workspace.asRelativePath(folder)} (${coded.answers.length} encounters)`);
    },
  },
};

export function registerCommands(ctx: ChartcoderContext): vscode.Disposable[] {
  return Object.entries(TABLE).map(([id, spec]) =>
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      if (spec.needsServer && !ctx.client.isRunning()) {
        const choice = await vscode.window.showWarningMessage(
          'Chartcoder: the language server is not running (see Output › Chartcoder). Reload the window to restart it.',
          'Reload window',
        );
        if (choice) await vscode.commands.executeCommand('workbench.action.reloadWindow');
        return undefined;
      }
      try {
        return await spec.run(ctx, ...args);
      } catch (err) {
        void vscode.window.showErrorMessage(`Chartcoder: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      }
    }),
  );
}
