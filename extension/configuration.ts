// The review preferences the extension itself uses (the mode, the minimum confidence), validated. What the language
// server reads (chartcoder.* → CHARTCODER_* variables) is in server/protocol.ts (EDITOR_SETTINGS, serverEnvironment),
// shared by both sides.
/** The mode and the minimum confidence the UI uses, validated. */
export function reviewPreferences(read: (key: string) => unknown): {
  mode?: 'retrieval' | 'rag' | 'ft' | 'ft+rag';
  minimumConfidence: number;
  problems: string[];
} {
  const problems: string[] = [];
  const mode = read('mode');
  const minimum = read('minimumConfidence');
  const modes = ['retrieval', 'rag', 'ft', 'ft+rag'] as const;
  const validMode = typeof mode === 'string' && (modes as readonly string[]).includes(mode) ? (mode as (typeof modes)[number]) : undefined;
  if (mode !== undefined && mode !== '' && !validMode) problems.push(`chartcoder.mode: expected one of ${modes.join(', ')}, found ${JSON.stringify(mode)}`);
  const validMinimum = typeof minimum === 'number' && minimum >= 0 && minimum <= 1 ? minimum : undefined;
  if (minimum !== undefined && validMinimum === undefined)
    problems.push(`chartcoder.minimumConfidence: expected a number from 0 to 1, found ${JSON.stringify(minimum)}`);
  return { ...(validMode ? { mode: validMode } : {}), minimumConfidence: validMinimum ?? 0.8, problems };
}
