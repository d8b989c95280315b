// What the commands and views share: the language client, the latest answer per document, the tree, the review
// panel and the status bar.
import type { LanguageClient } from 'vscode-languageclient/node';
import type * as vscode from 'vscode';
import type { Decision, DecisionRequest, SuggestionsAnswer } from '../server/protocol';
import type { EncounterCodesView } from './encounterCodesView';
import type { ReviewPanel } from './reviewPanel';
import type { ServiceStatusBar } from './serviceStatusBar';

export interface ChartcoderContext {
  readonly extension: vscode.ExtensionContext;
  readonly client: LanguageClient;
  readonly view: EncounterCodesView;
  readonly review: ReviewPanel;
  readonly status: ServiceStatusBar;
  /** The latest answer per document URI, as the server last sent it. */
  readonly answers: ReadonlyMap<string, SuggestionsAnswer>;
  /** Keeps an answer and redraws the tree, the highlights and the review panel. */
  remember(answer: SuggestionsAnswer): void;
  answerFor(uri: string): Promise<SuggestionsAnswer>;
  decide(request: DecisionRequest): Promise<Decision>;
}
