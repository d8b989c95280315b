// SMART scopes: v1 and v2 forms parsed, wildcards intersected with what a client may have, routes granted.
import assert from 'node:assert/strict';
import { grants, intersectScopes, parseScope } from '../../fhir/smartScopes';

describe('SMART scopes', () => {
  it('parses v1 and v2 forms and nothing else', () => {
    assert.deepEqual(parseScope('system/Encounter.read'), { context: 'system', resource: 'Encounter', permissions: 'rs' });
    assert.deepEqual(parseScope('system/*.*'), { context: 'system', resource: '*', permissions: 'cruds' });
    assert.deepEqual(parseScope('user/Condition.cud'), { context: 'user', resource: 'Condition', permissions: 'cud' });
    for (const bad of ['everything', 'system/Encounter', 'system/encounter.read', 'system/Encounter.rc', 'system/Encounter.rs?category=x', 'admin/*.*'])
      assert.equal(parseScope(bad), undefined, bad);
  });

  it('intersects a request with the allowance: wildcards narrow to what is allowed', () => {
    assert.deepEqual(intersectScopes(['system/*.*'], ['system/*.read']), ['system/*.rs']);
    assert.deepEqual(intersectScopes(['system/Encounter.cruds'], ['system/*.read']), ['system/Encounter.rs']);
    assert.deepEqual(intersectScopes(['system/*.read'], ['system/Encounter.read', 'system/AuditEvent.rs']), ['system/AuditEvent.rs', 'system/Encounter.rs']);
    assert.deepEqual(intersectScopes(['system/*.read', 'nonsense', 'user/Encounter.read'], ['system/Encounter.read']), ['system/Encounter.rs']);
    assert.deepEqual(intersectScopes(['system/Condition.write'], ['system/*.read']), []);
  });

  it('grants a route its scope from the same, a wildcard or v2 letters', () => {
    assert.ok(grants(['system/Encounter.read'], 'system/Encounter.read'));
    assert.ok(grants(['system/*.rs'], 'system/Encounter.read'));
    assert.ok(grants(['system/Condition.cruds'], 'system/Condition.write'));
    assert.ok(!grants(['system/Encounter.r'], 'system/Encounter.read'), 'read needs search too');
    assert.ok(!grants(['user/Encounter.read'], 'system/Encounter.read'));
    assert.ok(!grants(['system/Condition.read'], 'system/Condition.write'));
  });
});
