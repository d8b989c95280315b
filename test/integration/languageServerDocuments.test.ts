// The documents beyond plain notes, through the language server with the real engine: FHIR JSON (evidence on the
// exact JSON characters, written codes checked and hovered), a multi-encounter Bundle coded per encounter through
// `chartcoder:` documents, and encounters read from the real FHIR test server.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle } from '@medplum/fhirtypes';
import type { CodeAction, CodeLens, Diagnostic, Hover } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { CodeSystem } from '../../fhir';
import { Commands, Methods, type Decision, type EncounterSummary, type SuggestionsAnswer } from '../../server/protocol';
import type { OpenedSuggester as Suggester } from '../../server/app/openSuggester';
import { startLspSession, type LspSession } from '../helpers/lspSession';
import { ROOT } from '../helpers/run';
import { sharedSuggester } from '../helpers/suggesters';

const DIV =
  '<div xmlns="http://www.w3.org/1999/xhtml"><p>Assessment and Plan:</p><p>1. Acute on ' +
  'chronic systolic heart failure, EF 25%.</p><p>2. No evidence of pneumonia.</p></div>';

const INLINE_BUNDLE: Bundle = {
  resourceType: 'Bundle',
  type: 'collection',
  entry: [
    { resource: { resourceType: 'Patient', id: 'synthetic-json-patient', gender: 'female', birthDate: '1954-02-01' } },
    {
      resource: {
        resourceType: 'Encounter',
        id: 'synthetic-json-enc',
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
        subject: { reference: 'Patient/synthetic-json-patient' },
        period: { start: '2025-11-03', end: '2025-11-07' },
      },
    },
    {
      resource: {
        resourceType: 'Composition',
        id: 'synthetic-json-summary',
        status: 'final',
        type: { text: 'Discharge summary' },
        encounter: { reference: 'Encounter/synthetic-json-enc' },
        date: '2025-11-07',
        author: [{ display: 'Synthetic' }],
        title: 'Discharge summary',
        section: [{ title: 'Assessment and Plan', text: { status: 'generated', div: DIV } }],
      },
    },
    {
      resource: {
        resourceType: 'Condition',
        id: 'synthetic-json-cond',
        subject: { reference: 'Patient/synthetic-json-patient' },
        encounter: { reference: 'Encounter/synthetic-json-enc' },
        code: { coding: [{ system: CodeSystem.icd10cm, code: 'I50.2' }] },
      },
    },
  ],
};

/** The decoded text of the JSON string around [start, end) — what the coder sees highlighted. */
const jsonSlice = (text: string, d: Diagnostic) => {
  const doc = TextDocument.create('x', 'json', 1, text);
  return JSON.parse(`"${text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end))}"`) as string;
};

describe('language server documents: FHIR JSON, chartcoder: encounters, the FHIR server (real engine)', function () {
  this.timeout(10 * 60 * 1000);
  let suggester: Suggester;
  let session: LspSession;

  before(async () => {
    suggester = await sharedSuggester();
    session = await startLspSession(suggester, mkdtempSync(join(tmpdir(), 'chartcoder-lsp-docs-')));
  });
  after(() => session?.close());

  it('a FHIR Bundle JSON: evidence on the exact characters of the inline note; a header code warned and hovered', async () => {
    const uri = 'file:///synthetic/chf.fhir.json';
    const text = JSON.stringify(INLINE_BUNDLE, null, 2);
    const published = session.diagnostics(uri, (d) => d.some((x) => x.code === 'I50.23'));
    await session.open(uri, 'json', text);
    const diagnostics = await published;
    const chf = diagnostics.find((d) => d.code === 'I50.23')!;
    assert.equal(jsonSlice(text, chf), 'Acute on chronic systolic heart failure');
    assert.doesNotMatch(chf.message, /“/, 'exact evidence needs no quote in the message');

    const written = diagnostics.find((d) => d.code === 'written-code')!;
    assert.match(
      written.message,
      /^I50\.2 Systolic \(congestive\) heart failure is a header, not a billable ICD-10-CM FY2026 code: choose I50\.20, I50\.21, I50\.22, I50\.23 \(Condition\/synthetic-json-cond\)$/,
    );
    const hover = await session.client.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: written.range.start });
    const shown = (hover!.contents as { value: string }).value;
    assert.match(shown, /\*\*I50\.2\*\* Systolic \(congestive\) heart failure — ICD-10-CM FY2026/);
    assert.match(
      shown,
      /Chartcoder suggests \*\*I50\.23\*\* Acute on chronic systolic \(congestive\) heart failure from the notes \(\d+%\): “Acute on chronic systolic heart failure”/,
    );
  });

  it('a Bundle of several encounters: says so, offers "Code this encounter", and codes one as a chartcoder: document', async () => {
    const path = join(ROOT, 'data', 'samples', 'synthetic-encounters.json');
    const uri = URI.file(path).toString();
    const published = session.diagnostics(uri, (d) => d.some((x) => x.code === 'not-codable'));
    await session.open(uri, 'json', readFileSync(path, 'utf8'));
    assert.match(
      (await published).find((d) => d.code === 'not-codable')!.message,
      /the input has 4 Encounters .*: use "Code this encounter" above each Encounter/,
    );
    const lenses = await session.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const chfLens = lenses.find((l) => l.command?.title === 'Code this encounter (Encounter/synthetic-enc-chf)')!;
    assert.equal(chfLens.command!.command, Commands.openEncounter);
    assert.equal(lenses.length, 4);

    const encounterUri = chfLens.command!.arguments![0] as string;
    const text = await session.client.sendRequest<string>(Methods.encounterDocument, { uri: encounterUri });
    assert.match(text, /^Encounter\/synthetic-enc-chf · inpatient · 2025-11-03 → 2025-11-07 · code set FY2026\n/);
    assert.match(text, /\n════ .*DocumentReference\/synthetic-note-chf · 2025-11-07 ════\nDISCHARGE SUMMARY\n/);
    const coded = session.diagnostics(encounterUri, (d) => d.some((x) => x.code === 'I50.23'));
    await session.open(encounterUri, 'plaintext', text);
    const chf = (await coded).find((d) => d.code === 'I50.23')!;
    const doc = TextDocument.create(encounterUri, 'plaintext', 1, text);
    assert.equal(text.slice(doc.offsetAt(chf.range.start), doc.offsetAt(chf.range.end)), 'Acute on chronic systolic heart failure');
    const listed = await session.client.sendRequest<SuggestionsAnswer>(Methods.suggestions, { uri: encounterUri });
    const evidence = listed.items.find((i) => i.code === 'I50.23')!.evidence[0]!;
    assert.equal(text.slice(evidence.start, evidence.end), 'Acute on chronic systolic heart failure', 'the tree and panel get document offsets too');
    assert.deepEqual(listed.claimParties, {
      encounter: 'Encounter/synthetic-enc-chf',
      patient: 'Patient/synthetic-patient-a',
      provider: 'Organization/synthetic-hospital',
      coverage: ['Coverage/synthetic-coverage-a'],
      insurer: 'Organization/synthetic-payer',
    });
  });

  it('codes files that are not open (a folder review) and records decisions on them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chartcoder-folder-'));
    const note = join(dir, 'chf.note.txt');
    const text = readFileSync(join(ROOT, 'data', 'samples', 'chf-admission.note.txt'), 'utf8');
    writeFileSync(note, text);
    const uri = URI.file(note).toString();
    const answer = await session.client.sendRequest<SuggestionsAnswer>(Methods.codeDocument, { uri });
    const chf = answer.items.find((i) => i.code === 'I50.23')!;
    assert.equal(text.slice(chf.evidence[0]!.start, chf.evidence[0]!.end), 'Acute on chronic systolic heart failure');
    const decision = await session.client.sendRequest<Decision>(Methods.recordDecision, {
      uri,
      suggestionId: chf.id,
      action: 'reject',
      reason: 'not documented',
    });
    assert.equal(decision.subject, uri);
    assert.equal(
      (await session.client.sendRequest<SuggestionsAnswer>(Methods.suggestions, { uri })).items.find((i) => i.id === chf.id)?.decision?.reason,
      'not documented',
    );
    await assert.rejects(
      session.client.sendRequest(Methods.codeDocument, { uri: URI.file(join(dir, 'missing.note.txt')).toString() }),
      /missing\.note\.txt: no such file/,
    );
  });

  it('an encounter from the real FHIR server: found by patient name, read, coded with exact evidence, decided against the Encounter', async () => {
    const found = await session.client.sendRequest<EncounterSummary[]>(Methods.findEncounters, { text: 'Synthetic' });
    const chf = found.find((f) => f.id === 'synthetic-enc-chf')!;
    assert.ok(chf, `found ${found.map((f) => f.id).join(', ')}`);
    assert.match(chf.label, /2025-11-03/);
    assert.equal(chf.uri, 'chartcoder:/Encounter/synthetic-enc-chf');

    const text = await session.client.sendRequest<string>(Methods.encounterDocument, { uri: chf.uri });
    assert.match(text, /\nSource: http:\/\/127\.0\.0\.1:\d+\/fhir\n/);
    const coded = session.diagnostics(chf.uri, (d) => d.some((x) => x.code === 'I50.23'));
    await session.open(chf.uri, 'plaintext', text);
    const diagnostic = (await coded).find((d) => d.code === 'I50.23')!;
    const doc = TextDocument.create(chf.uri, 'plaintext', 1, text);
    assert.equal(text.slice(doc.offsetAt(diagnostic.range.start), doc.offsetAt(diagnostic.range.end)), 'Acute on chronic systolic heart failure');

    const actions = await session.client.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: chf.uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    const accept = actions.find((a) => a.title.startsWith('Accept I50.23'))!;
    const decision = await session.client.sendRequest<Decision>('workspace/executeCommand', {
      command: Commands.recordDecision,
      arguments: accept.command!.arguments,
    });
    assert.equal(decision.subject, 'Encounter/synthetic-enc-chf', 'what the integrator API reads for $write-back');
  });

  it('bad input gets a clear answer: an unknown encounter, a broken .fhir.json', async () => {
    await assert.rejects(
      session.client.sendRequest(Methods.encounterDocument, { uri: 'chartcoder:/Encounter/synthetic-missing' }),
      /Encounter\/synthetic-missing was not found on the FHIR server/,
    );
    await assert.rejects(session.client.sendRequest(Methods.encounterDocument, { uri: 'chartcoder:/Patient/x' }), /is not an encounter document/);
    await assert.rejects(
      session.client.sendRequest('workspace/executeCommand', {
        command: Commands.recordDecision,
        arguments: [{ uri: 'file:///x', suggestionId: 's', action: 'delete' }],
      }),
      /decision: action: Invalid enum value\. Expected 'accept' \| 'reject' \| 'replace', received 'delete'/,
    );
    await assert.rejects(
      session.client.sendRequest(Methods.recordDecision, { uri: 'file:///x', suggestionId: 's', action: 'replace' }),
      /decision: replacementCode: replace needs the code chosen instead/,
    );
    await assert.rejects(
      session.client.sendRequest(Methods.recordDecision, { uri: 'file:///x', suggestionId: 's', action: 'accept' }),
      /no suggestion s in file:\/\/\/x/,
    );
    const uri = 'file:///synthetic/broken.fhir.json';
    const published = session.diagnostics(uri, (d) => d.some((x) => x.code === 'not-codable'));
    await session.open(uri, 'json', '{\n  "resourceType": "Bundle",\n  "entry": [\n}');
    assert.match((await published)[0]!.message, /^Chartcoder: not valid JSON: ValueExpected at line 4$/);
  });
});
