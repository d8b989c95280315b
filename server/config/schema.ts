// The one validation of settings: file + environment are merged, then parsed here into ChartcoderSettings.
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
        fy: z.coerce.number().int().min(2015).max(2100).default(DEFAULT_FISCAL_YEAR),
        cptFile: z.string().min(1).optional(),
        /** A note longer than this is not coded (a 400-word note is about 2,500 characters). */
        maxNoteCharacters: z.coerce.number().int().min(1_000).max(10_000_000).default(300_000),
      })
      .strict()
      .default({}),
    http: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: port.default(8095),
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
        failedLoginsPerMinute: z.coerce.number().int().min(1).max(100_000).default(30),
        corsOrigins: z.array(z.string().url()).default([]),
        writeBack: z.boolean().default(false),
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
