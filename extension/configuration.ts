// VS Code settings (chartcoder.*) and SecretStorage tokens → the language server's environment. The server reads its
// settings from CHARTCODER_* variables (server/config/load.ts), so the editor passes exactly what the user set and
// nothing else; a value of the wrong type is reported and left out rather than passed on.
export interface EditorSetting {
  readonly key: string;
  readonly env: string;
  readonly type: 'string' | 'number';
  readonly secret?: boolean;
}

export const EDITOR_SETTINGS: readonly EditorSetting[] = [
  { key: 'elasticsearch.url', env: 'CHARTCODER_ES_URL', type: 'string' },
  { key: 'ollama.host', env: 'CHARTCODER_OLLAMA_HOST', type: 'string' },
  { key: 'ollama.chatModel', env: 'CHARTCODER_CHAT_MODEL', type: 'string' },
  { key: 'ollama.tunedModel', env: 'CHARTCODER_TUNED_MODEL', type: 'string' },
  { key: 'ollama.embedModel', env: 'CHARTCODER_EMBED_MODEL', type: 'string' },
  { key: 'fhir.baseUrl', env: 'CHARTCODER_FHIR_BASE_URL', type: 'string' },
  { key: 'knowledge.cptFile', env: 'CHARTCODER_CPT_FILE', type: 'string' },
  { key: 'cacheDir', env: 'CHARTCODER_CACHE_DIR', type: 'string' },
];

/** Tokens kept in SecretStorage, never in settings.json. */
export const SECRET_SETTINGS: readonly EditorSetting[] = [
  { key: 'elasticsearch.apiKey', env: 'CHARTCODER_ES_API_KEY', type: 'string', secret: true },
  { key: 'fhir.token', env: 'CHARTCODER_FHIR_TOKEN', type: 'string', secret: true },
];

export interface ServerEnvironment {
  readonly env: Record<string, string>;
  readonly problems: readonly string[];
}

/** `read(key)` gives a chartcoder.* value as configured (undefined or "" when unset); `secrets` the stored tokens. */
export function serverEnvironment(read: (key: string) => unknown, secrets: Readonly<Record<string, string | undefined>>): ServerEnvironment {
  const env: Record<string, string> = {};
  const problems: string[] = [];
  for (const setting of EDITOR_SETTINGS) {
    const value = read(setting.key);
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== setting.type) {
      problems.push(`chartcoder.${setting.key}: expected a ${setting.type}, found ${JSON.stringify(value)}`);
      continue;
    }
    env[setting.env] = String(value).trim();
  }
  for (const setting of SECRET_SETTINGS) {
    const value = secrets[setting.key];
    if (value) env[setting.env] = value;
  }
  return { env, problems };
}

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
