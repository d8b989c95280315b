// The API when a store or the engine cannot serve: decisions refused with 503 and the reason while coding goes on; a
// missing index is a 503 and a missing tuned model a 409 naming the fix; a decision whose audit event failed is
// completed by its retry, never stored twice.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEvent, OperationOutcome } from '@medplum/fhirtypes';
import { openAppendLog, type WriteFn } from '../../server/adapters/stores/appendLog';
import { openDecisionLog } from '../../server/adapters/stores/decisionLog';
import { ChartcoderError, type ErrorReason } from '../../server/engine/errors';
import { auditTrail } from '../../server/http/audit';
import { createRouter } from '../../server/http/router';
import { inProcessCoding } from '../../server/app/codingService';
import type { Suggester } from '../../server/app/ports';
import { apiSettings, fakeSuggester, makeKeys, READER, req, view, WRITER } from '../helpers/httpApi';

const decision = {
  resourceType: 'Parameters',
  parameter: [
    { name: 'subject', valueString: 'Encounter/synthetic-1' },
    { name: 'suggestion', valueString: 'icd10cm|I50.23' },
    { name: 'action', valueCode: 'accept' },
  ],
};

function api(options: { decisions?: string; audit?: string; auditWrite?: WriteFn; suggester?: () => Promise<Suggester> } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'chartcoder-degraded-'));
  const decisions = openDecisionLog(options.decisions ?? join(dir, 'decisions.jsonl'));
  return {
    decisions,
    handle: createRouter({
      settings: apiSettings(),
      suggester: async () => inProcessCoding(await (options.suggester ?? (async () => fakeSuggester))()),
      decisions,
      audit: auditTrail(openAppendLog<AuditEvent>(options.audit ?? join(dir, 'audit.jsonl'), options.auditWrite)),
      readEncounter: async () => view(),
    }),
  };
}

describe('API in a degraded state', () => {
  before(makeKeys);

  it('a decision store that cannot be written: decisions get 503 with the reason, coding still answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chartcoder-degraded-'));
    appendFileSync(join(dir, 'file'), 'x');
    const { handle } = api({ decisions: join(dir, 'file', 'decisions.jsonl') });
    const refused = await handle(req('POST', '/fhir/$record-decision', WRITER, decision));
    assert.equal(refused.status, 503);
    assert.match((refused.body as OperationOutcome).issue[0]!.diagnostics!, /decisions\.jsonl cannot be written/);
    assert.equal((await handle(req('POST', '/fhir/Encounter/synthetic-1/$suggest-codes', READER))).status, 200);
  });

  it('an audit store that fills: coding answers with a Warning; a decision is 503, and its retry stores it once with its event', async () => {
    let full = true;
    const disk: WriteFn = (fd, buffer, offset, length) => {
      if (full) throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
      return writeSync(fd, buffer, offset, length);
    };
    const { handle, decisions } = api({ auditWrite: disk });
    const coded = await handle(req('POST', '/fhir/Encounter/synthetic-1/$suggest-codes', READER));
    assert.equal(coded.status, 200);
    assert.match(coded.headers?.['warning'] ?? '', /not audited: .*the disk is full/);
    const first = await handle(req('POST', '/fhir/$record-decision', WRITER, decision, { 'x-request-id': 'd-1' }));
    assert.equal(first.status, 503, 'not acknowledged');
    full = false;
    const retry = await handle(req('POST', '/fhir/$record-decision', WRITER, decision, { 'x-request-id': 'd-1' }));
    assert.equal(retry.status, 200);
    assert.equal((retry.body as AuditEvent).resourceType, 'AuditEvent');
    assert.equal([...decisions.forSubject('Encounter/synthetic-1').values()].length, 1, 'stored once');
  });

  it('a missing index is a 503, a missing tuned model a 409 naming the fix, a note over the size limit a 413 naming it', async () => {
    const failing = (reason: ErrorReason, message: string) =>
      api({
        suggester: async () => {
          throw new ChartcoderError(reason, message);
        },
      }).handle;
    const noIndex = await failing(
      'index-missing',
      'no FY2026 code book: run chartcoder index build',
    )(req('POST', '/fhir/Encounter/synthetic-1/$suggest-codes', READER));
    assert.equal(noIndex.status, 503);
    assert.match(JSON.stringify(noIndex.body), /run chartcoder index build/);
    const noModel = await failing(
      'model-missing',
      'the tuned model chartcoder-coder is not in Ollama: run chartcoder train lora, or use --mode rag',
    )(req('POST', '/fhir/Encounter/synthetic-1/$suggest-codes', READER));
    assert.equal(noModel.status, 409);
    assert.match(JSON.stringify(noModel.body), /use --mode rag/);
    const huge = await failing(
      'too-large',
      'DocumentReference/n1 is 1,000,000 characters; notes over 300,000 are not coded (setting knowledge.maxNoteCharacters)',
    )(req('POST', '/fhir/Encounter/synthetic-1/$suggest-codes', READER));
    assert.equal(huge.status, 413);
    assert.match(JSON.stringify(huge.body), /knowledge\.maxNoteCharacters/);
  });
});
