// THE contract between extension/ and server/: settings shape and defaults, DTOs shown in the UI, command ids,
// custom LSP methods, the `chartcoder:` URI helpers. The only server file extension/ may import.
import { URI } from 'vscode-uri';

// The settings' types come from their one schema (server/config/schema.ts: validation, defaults and the field
// documentation); a type-only import, so the extension's bundle carries no validator.
type ParsedSettings = import('zod').z.output<typeof import('./config/schema').settingsSchema>;
type DeepReadonly<T> = T extends readonly (infer E)[] ? readonly DeepReadonly<E>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

export type ElasticsearchSettings = DeepReadonly<ParsedSettings['elasticsearch']>;
/** The Ollama host is always known once parsed: the configured one, or the locally provisioned instance. */
export type OllamaSettings = DeepReadonly<ParsedSettings['ollama'] & { host: string }>;
export type FhirAuthSettings = DeepReadonly<ParsedSettings['fhir']['auth']>;
export type FhirSettings = DeepReadonly<ParsedSettings['fhir']>;
export type LocalServicePorts = DeepReadonly<ParsedSettings['localPorts']>;
export type KnowledgeSettings = DeepReadonly<ParsedSettings['knowledge']>;
export type StaticToken = DeepReadonly<ParsedSettings['http']['tokens'][number]>;
export type SmartClient = DeepReadonly<NonNullable<ParsedSettings['http']['smart']>['clients'][number]>;
export type HttpSettings = DeepReadonly<ParsedSettings['http']>;

export const DEFAULT_FISCAL_YEAR = 2026;

export interface ChartcoderSettings {
  readonly cacheDir: string;
  readonly knowledge: KnowledgeSettings;
  readonly elasticsearch: ElasticsearchSettings;
  readonly ollama: OllamaSettings;
  readonly fhir: FhirSettings;
  readonly http: HttpSettings;
  readonly localPorts: LocalServicePorts;
}

export const DEFAULT_LOCAL_PORTS = { elasticsearch: 9250, ollama: 11500, fhir: 8090 } as const;

export const DEFAULT_MODELS = {
  chatModel: 'chartcoder-base',
  tunedModel: 'chartcoder-coder',
  embedModel: 'chartcoder-embed',
} as const;

export type ServiceName = 'elasticsearch' | 'ollama' | 'fhir';
export const SERVICE_NAMES: readonly ServiceName[] = ['elasticsearch', 'ollama', 'fhir'];

/** `off`: an optional service the user has not configured (the editor without a FHIR server): nothing to fix. */
export type ServiceState = 'up' | 'down' | 'degraded' | 'off';

/** One service's health as every UI shows it: state, what it is, and how to fix it when it is not up. */
export interface ServiceHealth {
  readonly service: ServiceName;
  readonly state: ServiceState;
  readonly endpoint: string;
  readonly version?: string;
  /** Ollama only: the tuned model's adapter version (from its model card) the suggestions will name. */
  readonly modelVersion?: string;
  readonly details: readonly string[];
  /** While it is not up: what coding loses (or still does) without it. */
  readonly impact?: string;
  readonly fix?: string;
}

/** URI scheme of the read-only document the editor shows for one encounter: chartcoder:/Encounter/<id>. */
export const ENCOUNTER_SCHEME = 'chartcoder';

/** An encounter the editor opens as a `chartcoder:` document. */
export interface EncounterTarget {
  readonly id: string;
  /** A Bundle file path; absent: the configured FHIR server. */
  readonly bundle?: string;
}

const ENCOUNTER_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** chartcoder:/Encounter/<id> (the configured FHIR server) or chartcoder:/Encounter/<id>?bundle=<path> (a file). */
export function encounterUri(target: EncounterTarget): string {
  return URI.from({ scheme: ENCOUNTER_SCHEME, path: `/Encounter/${target.id}`, ...(target.bundle ? { query: `bundle=${target.bundle}` } : {}) }).toString();
}

export function encounterTargetOf(uri: string): EncounterTarget | undefined {
  const parsed = URI.parse(uri);
  const id = /^\/Encounter\/([^/]+)$/.exec(parsed.path)?.[1];
  if (parsed.scheme !== ENCOUNTER_SCHEME || !id || !ENCOUNTER_ID.test(id)) return undefined;
  const bundle = parsed.query.startsWith('bundle=') ? parsed.query.slice('bundle='.length) : undefined;
  return { id, ...(bundle ? { bundle } : {}) };
}

/** URI scheme of the guidance a suggestion cites (chartcoder-guidance:/<knowledge document id>), opened read-only. */
export const GUIDANCE_SCHEME = 'chartcoder-guidance';

export const Commands = {
  showServiceStatus: 'chartcoder.showServiceStatus',
  /** Server-side command behind the "Add to CDI query" code action. */
  addToCdiQuery: 'chartcoder.addToCdiQuery',
  /** Client-side: open an encounter document (its `chartcoder:` URI is the argument). */
  openEncounter: 'chartcoder.openEncounter',
  /** Client-side, behind the guidance links of a hover: open a `chartcoder-guidance:` document (its URI is the argument). */
  openGuidance: 'chartcoder.openGuidance',
  /** Server-side command behind the Accept / Reject / Replace code actions. */
  recordDecision: 'chartcoder.recordDecision',
} as const;

export const Methods = {
  serviceStatus: 'chartcoder/serviceStatus',
  /** Request: the suggestions of a document, with their decisions. */
  suggestions: 'chartcoder/suggestions',
  /** Request: record a coder's decision; answers the stored decision. */
  recordDecision: 'chartcoder/recordDecision',
  /** Notification (server → client) with a SuggestionsAnswer: a document's suggestions or decisions changed. */
  suggestionsChanged: 'chartcoder/suggestionsChanged',
  /** Request: the Markdown of a `chartcoder-guidance:` document (GuidanceDocumentParams → string). */
  guidanceDocument: 'chartcoder/guidanceDocument',
  /** Request: the text of a `chartcoder:` encounter document (EncounterDocumentParams → string). */
  encounterDocument: 'chartcoder/encounterDocument',
  /** Request: encounters on the configured FHIR server to pick from (FindEncountersParams → EncounterSummary[]). */
  findEncounters: 'chartcoder/findEncounters',
  /**
   * Request: code one file whether or not it is open (CodeDocumentParams → SuggestionsAnswer), for reviewing a
   * folder of encounters; the answer stays cached, so decisions on it are recorded like an open document's.
   */
  codeDocument: 'chartcoder/codeDocument',
  /** Request: the CDI query drafted for a document (CdiQueryParams → CdiQuery). */
  cdiQuery: 'chartcoder/cdiQuery',
  /** Notification (server → client) with a CdiQuery: an item was added to a document's query. */
  cdiQueryChanged: 'chartcoder/cdiQueryChanged',
} as const;

export type DecisionAction = 'accept' | 'reject' | 'replace';

/** Why a coder rejects a suggestion, as the editor offers them (the first two are quick fixes on the evidence). */
export const REJECT_REASONS = ['not documented', 'not clinically significant', 'ruled out', 'integral to another condition', 'duplicate'] as const;

/** What a coder decided about one suggestion: the record the integrator API and training read later. */
export interface Decision {
  /** The document (file URI) or encounter reference the suggestion belongs to. */
  readonly subject: string;
  readonly suggestionId: string;
  readonly action: DecisionAction;
  /** For replace: the code chosen instead. */
  readonly replacementCode?: string;
  readonly reason?: string;
  readonly user: string;
  readonly time: string;
  /** The suggestion's provenance when it was decided (mode, model, index, FY…). */
  readonly provenance: Readonly<Record<string, unknown>>;
}

export interface DecisionRequest {
  readonly uri: string;
  readonly suggestionId: string;
  readonly action: DecisionAction;
  readonly replacementCode?: string;
  readonly reason?: string;
}

export interface SuggestionsParams {
  readonly uri: string;
}

/** A suggestion as the editor shows it, with the coder's decision: the answer of `chartcoder/suggestions`. */
export interface SuggestionItem {
  readonly id: string;
  readonly code: string;
  readonly system: 'icd10cm' | 'icd10pcs' | 'cpt' | 'hcpcs';
  readonly systemUri: string;
  readonly display: string;
  readonly kind: 'diagnosis' | 'procedure';
  readonly confidence: number;
  readonly rationale: string;
  /** Character ranges in the document. */
  readonly evidence: readonly { readonly start: number; readonly end: number; readonly text: string }[];
  readonly findings: readonly { readonly severity: 'info' | 'warning' | 'error'; readonly message: string; readonly rule: string }[];
  readonly alternatives: readonly { readonly code: string; readonly display: string }[];
  readonly model?: string;
  readonly decision: Decision | null;
}

/** The parties a FHIR Claim for the encounter names, as the record gives them (references); absent for bare notes. */
export interface ClaimParties {
  readonly encounter: string;
  readonly patient: string;
  readonly provider?: string;
  readonly coverage: readonly string[];
  readonly insurer?: string;
}

export interface SuggestionsAnswer {
  readonly uri: string;
  /** The document version the suggestions were computed for; null while none is ready. */
  readonly version: number | null;
  readonly items: readonly SuggestionItem[];
  readonly degradations: readonly string[];
  readonly claimParties?: ClaimParties;
}

export interface EncounterDocumentParams {
  readonly uri: string;
}

export interface GuidanceDocumentParams {
  /** A guidance link: chartcoder-guidance:/<knowledge document id>. */
  readonly uri: string;
}

export interface CodeDocumentParams {
  readonly uri: string;
}

export interface FindEncountersParams {
  /** Narrows the list: a patient's name or id, or an encounter id. */
  readonly text?: string;
}

export interface EncounterSummary {
  readonly id: string;
  /** The `chartcoder:` URI that opens it. */
  readonly uri: string;
  readonly label: string;
  readonly detail: string;
}

export interface CdiQueryParams {
  readonly uri: string;
}

/** One question to the provider, drafted from a suggestion: compliant (clinical indicators, open options, no codes). */
export interface CdiQueryItem {
  readonly suggestionId: string;
  /** The code that prompted it, for the CDI specialist (never shown in the query text to the provider). */
  readonly code: string;
  readonly kind: 'specificity' | 'conflict' | 'clinical-validation';
  readonly question: string;
  readonly indicators: readonly string[];
  readonly options: readonly string[];
}

export interface CdiQuery {
  readonly subject: string;
  readonly items: readonly CdiQueryItem[];
  /** The query as the provider reads it (Markdown). */
  readonly text: string;
}

/** A setting that could not be used: its name as the user sets it, why, and the fix. */
export interface SettingProblem {
  readonly setting: string;
  readonly message: string;
}

/** The largest file the editor codes without opening it, and the CLI reads (bytes). */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

// VS Code settings (chartcoder.*) and SecretStorage tokens → the language server's environment. The server reads its
// settings from CHARTCODER_* variables (server/config/load.ts): the extension passes exactly what the user set and
// nothing else at start, and the server reads a changed chartcoder.* section through the same table; a value of the
// wrong type is reported and left out rather than passed on.
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
