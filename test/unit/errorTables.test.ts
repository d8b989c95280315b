// One reason enum, one table per boundary: every reason has its row in the API's, the editor's and the CLI's table.
import assert from 'node:assert/strict';
import { EXIT_CODES } from '../../server/tooling/commands/exitCodes';
import { ERROR_REASONS } from '../../server/engine/errors';
import { ERROR_REASONS_ANSWERED, outcomeOfError } from '../../server/http/router';
import { ChartcoderError } from '../../server/engine/errors';
import { statusOf } from '../../fhir';
import { RESPONSE_ERROR_CODES } from '../../server/lsp/responseErrors';

describe('error tables', () => {
  const all = [...ERROR_REASONS].sort();

  it('every reason has a row in every boundary table', () => {
    assert.deepEqual([...ERROR_REASONS_ANSWERED].sort(), all, 'HTTP');
    assert.deepEqual(Object.keys(RESPONSE_ERROR_CODES).sort(), all, 'LSP');
    assert.deepEqual(Object.keys(EXIT_CODES).sort(), all, 'CLI');
  });

  it('no HTTP 500 for what a client can cause; a service or store failing is 503', () => {
    const status = (reason: (typeof ERROR_REASONS)[number]) => statusOf(outcomeOfError(new ChartcoderError(reason, 'x')));
    for (const reason of ['bad-input', 'query-invalid', 'not-found', 'conflict', 'too-large', 'data-unreadable'] as const)
      assert.ok(status(reason) >= 400 && status(reason) < 500, `${reason} → ${status(reason)}`);
    for (const reason of ['service-unavailable', 'index-missing', 'store-unavailable', 'provision-failed'] as const) assert.equal(status(reason), 503, reason);
    assert.equal(status('model-missing'), 409);
  });
});
