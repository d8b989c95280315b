// The integrator API over a fake suggester (a note coded as I50.23), with static tokens and a SMART client whose
// keys are made per run: shared by the router, security and fuzz tests.
import { openApp } from '../../server/app/openApp';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import type { Bundle } from '@medplum/fhirtypes';
import { encounterOfNote, type EncounterView } from '../../fhir';
import { loadSettings } from '../../server/config/load';
import { ChartcoderError } from '../../server/engine/errors';
import type { Suggestion, SuggestResult } from '../../server/engine/suggest/suggestion';
import { auditTrail } from '../../server/http/audit';
import { codeBookOf } from '../../server/engine/suggest/codeBook';
import { verifyCodes } from '../../server/engine/suggest/codeValidity';
import type { CodeSystemKey } from '../../server/engine/retrieve/knowledgeDoc';
import { CODE_DOCS } from '../fixtures/knowledge/codeBookDocs';
import { createRouter, type HttpRequest } from '../../server/http/router';
import type { Suggester } from '../../server/app/ports';
import type { ChartcoderSettings } from '../../server/protocol';
import { ROOT } from './run';

export const NOTE = 'Assessment: acute on chronic systolic heart failure.';
export const READER = 'reader-token-0123456789';
export const WRITER = 'writer-token-0123456789';

export const suggestion: Suggestion = {
  id: 'icd10cm|I50.23',
  system: 'icd10cm',
  systemUri: 'http://hl7.org/fhir/sid/icd-10-cm',
  code: 'I50.23',
  display: 'Acute on chronic systolic (congestive) heart failure',
  kind: 'diagnosis',
  fiscalYear: 2026,
  confidence: 0.8,
  confidenceBasis: 'model-logprob',
  evidenceState: 'supported',
  evidence: [{ sourceId: 'DocumentReference/n1#0', start: 12, end: 51, text: NOTE.slice(12, 51), origin: 'mention', match: 'exact' }],
  guidance: [{ id: 'icd10cm:2026:index:1', title: 'Failure, heart, systolic, acute and chronic → I50.23', kind: 'index', link: 'chartcoder-guidance:/x' }],
  rationale: 'documented',
  alternatives: [],
  provenance: {
    mode: 'rag',
    model: 'chartcoder-base@e68a19e63337',
    indexVersion: 'fy2026-x',
    codeSetFy: 2026,
    promptTemplateHash: 'abc',
    createdAt: '2026-11-24T12:00:00.000Z',
  },
  findings: [{ rule: 'excludes1-conflict', severity: 'warning', message: 'synthetic conflict', source: 'tabular I50 Excludes1', relatedCodes: ['I50.9'] }],
};

export function view(): EncounterView {
  const v = encounterOfNote({ name: 'Encounter/synthetic-1', text: NOTE, date: '2026-01-10' });
  return { ...v, patient: { reference: 'Patient/synthetic-p' }, notes: [{ ...v.notes[0]!, id: 'DocumentReference/n1#0', reference: 'DocumentReference/n1' }] };
}

const fakeBook = codeBookOf(2026, CODE_DOCS);

export const fakeSuggester = {
  fy: 2026,
  book: fakeBook,
  verifyCodes: async (codes: readonly { system: CodeSystemKey; code: string }[]) => verifyCodes((system) => fakeBook.catalog(system), codes),
  async *suggest() {
    yield {
      type: 'result' as const,
      result: {
        encounter: 'Encounter/synthetic-1',
        mode: 'rag',
        fiscalYear: 2026,
        suggestions: [suggestion],
        degradations: [],
        stats: {},
      } as unknown as SuggestResult,
    };
  },
} as unknown as Suggester;

export const AUDIENCE = 'https://chartcoder.example/fhir';
export const keys: { jwksPath: string; client?: KeyLike; stranger?: KeyLike } = { jwksPath: '' };

/** The SMART client's key pair (its public key in a JWK Set file) and a stranger's; call in a before() hook. */
export async function makeKeys(): Promise<void> {
  if (keys.client) return;
  const client = await generateKeyPair('ES384');
  keys.client = client.privateKey;
  keys.stranger = (await generateKeyPair('ES384')).privateKey;
  keys.jwksPath = join(mkdtempSync(join(tmpdir(), 'chartcoder-jwks-')), 'jwks.json');
  writeFileSync(keys.jwksPath, JSON.stringify({ keys: [{ ...(await exportJWK(client.publicKey)), kid: 'k1', alg: 'ES384' }] }));
}

export async function jwt(options: { scope?: string; aud?: string; expiresIn?: number; key?: KeyLike; iss?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: options.scope ?? 'system/Encounter.read' })
    .setProtectedHeader({ alg: 'ES384', kid: 'k1' })
    .setIssuer(options.iss ?? 'synthetic-ehr-client')
    .setSubject(options.iss ?? 'synthetic-ehr-client')
    .setAudience(options.aud ?? AUDIENCE)
    .setIssuedAt(now - 10)
    .setExpirationTime(now + (options.expiresIn ?? 240))
    .setJti(randomUUID())
    .sign(options.key ?? keys.client!);
}

/** A second writing client, for what one client must not see of another's. */
export const OTHER_WRITER = 'other-writer-token-0123456789';

export interface ApiOptions {
  writeBack?: boolean;
  written?: Bundle[];
  dir?: string;
  clientScopes?: readonly string[];
  suggester?: Suggester;
  unthrottled?: boolean;
  extraTokens?: readonly { token: string; scopes: string[]; client: string }[];
}

export function apiSettings(options: ApiOptions = {}): ChartcoderSettings {
  const base = loadSettings({ projectRoot: ROOT });
  return {
    ...base,
    http: {
      ...base.http,
      port: 0,
      writeBack: options.writeBack ?? false,
      ...(options.unthrottled ? { requestsPerMinute: 100_000, failedLoginsPerMinute: 100_000 } : {}),
      smart: {
        audience: AUDIENCE,
        clients: [
          { clientId: 'synthetic-ehr-client', jwksPath: keys.jwksPath, scopes: options.clientScopes ?? ['system/Encounter.read', 'system/AuditEvent.read'] },
        ],
      },
      tokens: [
        { token: READER, scopes: ['system/Encounter.read', 'system/AuditEvent.read'], client: 'synthetic-ehr' },
        { token: WRITER, scopes: ['system/Condition.write'], client: 'synthetic-coder-app' },
        { token: OTHER_WRITER, scopes: ['system/Condition.write'], client: 'other-coder-app' },
        ...(options.extraTokens ?? []),
      ],
    },
  };
}

export function router(options: ApiOptions = {}) {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'chartcoder-http-'));
  const settings = apiSettings(options);
  const app = openApp(settings, { projectRoot: ROOT, storeDir: dir, suggester: options.suggester ?? fakeSuggester });
  return createRouter({
    settings,
    suggester: app.coding('in-process'),
    audit: auditTrail(app.auditLog()),
    decisions: app.decisions,
    writeToEhr: async (transaction) => {
      options.written?.push(transaction);
      return { resourceType: 'Bundle', type: 'transaction-response', entry: [] };
    },
    readEncounter: async (id) => {
      if (id !== 'synthetic-1') throw new ChartcoderError('not-found', `Encounter/${id} not found`);
      return view();
    },
  });
}

export const req = (method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): HttpRequest => ({
  method,
  path: path.split('?')[0]!,
  query: new URLSearchParams(path.split('?')[1] ?? ''),
  headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  ...(body ? { body } : {}),
});
