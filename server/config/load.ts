// Settings from a JSON config file and CHARTCODER_* environment variables (environment wins), validated once.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ZodError } from 'zod';
import { ChartcoderError } from '../engine/errors';
import type { ChartcoderSettings, SettingProblem } from '../protocol';
import { parseSettings } from './schema';

type Env = Readonly<Record<string, string | undefined>>;
type Json = Record<string, unknown>;

/** Environment variable → settings path. Documented in docs/configuration.md. */
export const ENV_SETTINGS: ReadonlyArray<readonly [string, string]> = [
  ['CHARTCODER_CACHE_DIR', 'cacheDir'],
  ['CHARTCODER_ES_URL', 'elasticsearch.url'],
  ['CHARTCODER_ES_API_KEY', 'elasticsearch.apiKey'],
  ['CHARTCODER_ES_USERNAME', 'elasticsearch.username'],
  ['CHARTCODER_ES_PASSWORD', 'elasticsearch.password'],
  ['CHARTCODER_ES_INDEX_PREFIX', 'elasticsearch.indexPrefix'],
  ['CHARTCODER_OLLAMA_HOST', 'ollama.host'],
  ['CHARTCODER_CHAT_MODEL', 'ollama.chatModel'],
  ['CHARTCODER_TUNED_MODEL', 'ollama.tunedModel'],
  ['CHARTCODER_EMBED_MODEL', 'ollama.embedModel'],
  ['CHARTCODER_FHIR_BASE_URL', 'fhir.baseUrl'],
  ['CHARTCODER_FY', 'knowledge.fy'],
  ['CHARTCODER_CPT_FILE', 'knowledge.cptFile'],
  ['CHARTCODER_MAX_NOTE_CHARACTERS', 'knowledge.maxNoteCharacters'],
  ['CHARTCODER_ES_PORT', 'localPorts.elasticsearch'],
  ['CHARTCODER_OLLAMA_PORT', 'localPorts.ollama'],
  ['CHARTCODER_FHIR_PORT', 'localPorts.fhir'],
];

function setPath(target: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const child = node[key];
    const copy: Json = typeof child === 'object' && child !== null ? { ...(child as Json) } : {};
    node[key] = copy;
    node = copy;
  }
  node[keys[keys.length - 1] as string] = value;
}

function readConfigFile(path: string): Json {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ChartcoderError('config-unreadable', `cannot read config file ${path}`, { cause });
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Json;
  } catch (cause) {
    throw new ChartcoderError('config-invalid', `config file ${path} is not a JSON object: ${(cause as Error).message}`, { cause });
  }
}

function formatIssues(error: ZodError, source: string): string {
  const issues = error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return `invalid settings (${source}): ${issues.join('; ')}`;
}

export interface LoadOptions {
  readonly configPath?: string;
  readonly env?: Env;
  readonly projectRoot?: string;
}

function deletePath(target: Json, path: readonly (string | number)[]): void {
  let node: unknown = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return;
    node = (node as Record<string | number, unknown>)[key];
  }
  if (typeof node === 'object' && node !== null) delete (node as Record<string | number, unknown>)[path[path.length - 1]!];
}

const ENV_OF_PATH = new Map(ENV_SETTINGS.map(([name, path]) => [path, name]));

/** For the language server, which must keep running: a bad value is left out (its default applies), and each is
 * reported naming the setting (`chartcoder.elasticsearch.url` and its environment variable) and what would fix it. */
export function loadSettingsTolerantly(options: LoadOptions = {}): { settings: ChartcoderSettings; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const raw = rawSettings(options, problems);
  for (let attempt = 0; attempt < 20; attempt++) {
    const parsed = parseSettings(raw);
    if (!(parsed instanceof Error)) return { settings: parsed, problems };
    for (const issue of parsed.issues) {
      const path = issue.path.join('.');
      const env = ENV_OF_PATH.get(path);
      problems.push({ setting: `chartcoder.${path}${env ? ` (${env})` : ''}`, message: `${issue.message}: the default is used until it is fixed` });
      deletePath(raw, issue.path);
    }
  }
  return { settings: parseSettings({ cacheDir: raw.cacheDir }) as ChartcoderSettings, problems };
}

function configPathOf(options: LoadOptions): string | undefined {
  const root = options.projectRoot ?? process.cwd();
  const local = join(root, 'chartcoder.config.json');
  return options.configPath ?? (options.env ?? process.env).CHARTCODER_CONFIG ?? (existsSync(local) ? local : undefined);
}

function rawSettings(options: LoadOptions, problems?: SettingProblem[]): Json {
  const env = options.env ?? process.env;
  const root = options.projectRoot ?? process.cwd();
  const configPath = configPathOf(options);
  let raw: Json = {};
  if (configPath) {
    try {
      raw = readConfigFile(resolve(configPath));
    } catch (err) {
      if (!problems) throw err;
      problems.push({ setting: `config file ${configPath}`, message: `${(err as Error).message}: it is ignored until it is fixed` });
    }
  }
  if (raw.cacheDir === undefined) raw.cacheDir = join(root, '.cache');
  for (const [name, path] of ENV_SETTINGS) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(raw, path, value);
  }
  if (env.CHARTCODER_FHIR_TOKEN) setPath(raw, 'fhir.auth', { kind: 'bearer', token: env.CHARTCODER_FHIR_TOKEN });
  return raw;
}

export function loadSettings(options: LoadOptions = {}): ChartcoderSettings {
  const configPath = configPathOf(options);
  const raw = rawSettings(options);
  const parsed = parseSettings(raw);
  if (parsed instanceof Error) {
    throw new ChartcoderError('config-invalid', formatIssues(parsed, configPath ? `${configPath} + environment` : 'environment'));
  }
  return parsed;
}
