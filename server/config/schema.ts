// The one schema of the settings: file + environment are merged, then parsed here. The validation, the defaults and
// the types (protocol.ts derives ChartcoderSettings from it) come from it; each field's meaning is documented here.
import { z } from 'zod';
import { parseScope } from '../../fhir/smartScopes';
import { DEFAULT_FISCAL_YEAR, DEFAULT_LOCAL_PORTS, DEFAULT_MODELS, type ChartcoderSettings } from '../protocol';

const port = z.coerce.number().int().min(1).max(65535);
const timeout = z.coerce.number().int().min(100).max(600_000);
const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');
const optionalUrl = z.union([z.literal(''), httpUrl]);
const modelName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*(:[A-Za-z0-9._-]+)?$/, 'not an Ollama model name (e.g. chartcoder-base, llama3.1:8b)');
const smartScopes = z.array(z.string().refine((s) => parseScope(s) !== undefined, 'not a SMART scope (e.g. system/Encounter.read, system/*.rs)')).min(1);
const distinct =
  <T>(key: (item: T) => string, what: string) =>
  (items: readonly T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(key(item))) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i], message: `the same ${what} twice` });
      seen.add(key(item));
    });
  };

const fhirAuth = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('bearer'), token: z.string().min(1) }),
  z.object({
    kind: z.literal('smart-backend'),
    tokenUrl: httpUrl,
    clientId: z.string().min(1),
    privateKeyPath: z.string().min(1),
    keyId: z.string().optional(),
    scope: z.string().min(1),
  }),
]);

export const settingsSchema = z
  .object({
    cacheDir: z.string().min(1),
    /** Ports of the locally provisioned instances; distinct from a user's own ES (9200) and Ollama (11434). */
    localPorts: z
      .object({
        elasticsearch: port.default(DEFAULT_LOCAL_PORTS.elasticsearch),
        ollama: port.default(DEFAULT_LOCAL_PORTS.ollama),
        fhir: port.default(DEFAULT_LOCAL_PORTS.fhir),
      })
      .strict()
      .default({}),
    elasticsearch: z
      .object({
        /** Empty: the embedded in-process index. */
        url: optionalUrl.default(''),
        apiKey: z.string().min(1).optional(),
        username: z.string().min(1).optional(),
        password: z.string().min(1).optional(),
        indexPrefix: z
          .string()
          .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _')
          .default('chartcoder'),
        requestTimeoutMs: timeout.default(30_000),
      })
      .strict()
      .default({}),
    ollama: z
      .object({
        host: httpUrl.optional(),
        chatModel: modelName.default(DEFAULT_MODELS.chatModel),
        tunedModel: modelName.default(DEFAULT_MODELS.tunedModel),
        embedModel: modelName.default(DEFAULT_MODELS.embedModel),
        requestTimeoutMs: timeout.default(120_000),
      })
      .strict()
      .default({}),
    knowledge: z
      .object({
        /** Code-set fiscal year searched when a request names none. */
        fy: z.coerce.number().int().min(2015).max(2100).default(DEFAULT_FISCAL_YEAR),
        /** A licensed CPT file (CSV/TSV: code, descriptor). CPT descriptors never ship with Chartcoder. */
        cptFile: z.string().min(1).optional(),
        /** Notes longer than this are refused, naming the limit: one huge note must not hold the service (a 400-word
         * note is about 2,500 characters). */
        maxNoteCharacters: z.coerce.number().int().min(1_000).max(10_000_000).default(300_000),
      })
      .strict()
      .default({}),
    http: z
      .object({
        /** 127.0.0.1 unless configured. */
        host: z.string().min(1).default('127.0.0.1'),
        port: port.default(8095),
        /** Static bearer tokens for local use (SMART Backend Services tokens are the production path): SMART scopes
         * ("system/Encounter.read", "system/Condition.write") and who calls with it, recorded in the audit trail. */
        tokens: z
          .array(z.object({ token: z.string().min(16, 'at least 16 characters'), scopes: smartScopes, client: z.string().min(1) }).strict())
          .superRefine(distinct((t) => t.token, 'token'))
          .default([]),
        maxBodyBytes: z.coerce
          .number()
          .int()
          .min(1024)
          .max(50 * 1024 * 1024)
          .default(5 * 1024 * 1024),
        requestsPerMinute: z.coerce.number().int().min(1).max(100_000).default(600),
        /** Failed logins a peer address may make a minute; past them it gets 429 for a minute. */
        failedLoginsPerMinute: z.coerce.number().int().min(1).max(100_000).default(30),
        /** Empty: CORS off. */
        corsOrigins: z.array(z.string().url()).default([]),
        /** Allow $write-back of the accepted code set to the EHR's FHIR server (off by default). */
        writeBack: z.boolean().default(false),
        /** SMART JWT bearer validation: the audience tokens must name (this API's base URL) and the known clients, each
         * with its public keys (a JWK Set file) and the most it may be granted (a token's `scope` claim is intersected). */
        smart: z
          .object({
            audience: z.string().min(1),
            clients: z
              .array(
                z
                  .object({
                    clientId: z.string().min(1),
                    jwksPath: z.string().min(1),
                    scopes: smartScopes,
                  })
                  .strict(),
              )
              .min(1)
              .superRefine(distinct((c) => c.clientId, 'clientId')),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
    fhir: z
      .object({
        /** Empty: no FHIR server configured (Bundle and note files still work). */
        baseUrl: optionalUrl.default(''),
        auth: fhirAuth.default({ kind: 'none' }),
        requestTimeoutMs: timeout.default(30_000),
      })
      .strict()
      .default({}),
  })
  .strict();

export type RawSettings = z.input<typeof settingsSchema>;

/** Parse merged raw settings; the Ollama host defaults to the locally provisioned instance's port. */
export function parseSettings(raw: unknown): ChartcoderSettings | z.ZodError {
  const result = settingsSchema.safeParse(raw);
  if (!result.success) return result.error;
  const s = result.data;
  return { ...s, ollama: { ...s.ollama, host: s.ollama.host ?? `http://127.0.0.1:${s.localPorts.ollama}` } };
}
