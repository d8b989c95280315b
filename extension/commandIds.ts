// Every command id the extension registers, free of VS Code so a test can hold them against package.json; the
// command table (commands.ts) must have a handler for each.
import { Commands } from '../server/protocol';

/** The commands a coder runs from the palette, the tree or the Explorer (contributed in package.json). */
export const ExtensionCommands = {
  codeCurrentDocument: 'chartcoder.codeCurrentDocument',
  acceptAllAboveConfidence: 'chartcoder.acceptAllAboveConfidence',
  showReviewPanel: 'chartcoder.showReviewPanel',
  reviewFolder: 'chartcoder.reviewFolder',
  configureServices: 'chartcoder.configureServices',
  openEncounterFromFhirServer: 'chartcoder.openEncounterFromFhirServer',
  showCdiQuery: 'chartcoder.showCdiQuery',
  acceptSuggestion: 'chartcoder.acceptSuggestion',
  rejectSuggestion: 'chartcoder.rejectSuggestion',
  showServiceStatus: Commands.showServiceStatus,
} as const;

/** Commands behind links and tree items, not shown in the palette. */
export const InternalCommands = {
  revealEvidence: 'chartcoder.revealEvidence',
  openEncounter: Commands.openEncounter,
  openGuidance: Commands.openGuidance,
} as const;

export type CommandId = (typeof ExtensionCommands)[keyof typeof ExtensionCommands] | (typeof InternalCommands)[keyof typeof InternalCommands];
