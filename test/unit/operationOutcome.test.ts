import assert from 'node:assert/strict';
import { allOk, badRequest, forbidden, notFound, outcome, statusOf, unauthorized, unavailable } from '../../fhir';

describe('OperationOutcome builders', () => {
  it('map each failure kind to its HTTP status', () => {
    assert.equal(statusOf(allOk), 200);
    assert.equal(statusOf(badRequest('no Bundle')), 400);
    assert.equal(statusOf(unauthorized('no token')), 401);
    assert.equal(statusOf(forbidden('scope')), 403);
    assert.equal(statusOf(notFound('Encounter/x')), 404);
    assert.equal(statusOf(unavailable('ollama down')), 503);
    assert.equal(statusOf(outcome('error', 'exception', 'boom')), 500);
  });

  it('treat warnings as success and keep the diagnostics and expression', () => {
    const o = outcome('warning', 'incomplete', 'page 3 timed out', ['Bundle.entry']);
    assert.equal(statusOf(o), 200);
    assert.deepEqual(o.issue[0], { severity: 'warning', code: 'incomplete', diagnostics: 'page 3 timed out', expression: ['Bundle.entry'] });
  });
});
