import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiStatusError, errorFromResponse, isAlreadyExists, isConflict, isGone, isNotFound } from './errors.js';

describe('API errors', () => {
  it('maps a Status body to a typed error', () => {
    const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'configmaps "x" not found', reason: 'NotFound', details: { name: 'x', kind: 'configmaps' }, code: 404 });
    const err = errorFromResponse(404, body);
    assert.ok(err instanceof ApiStatusError);
    assert.equal(err.code, 404);
    assert.equal(err.reason, 'NotFound');
    assert.equal(err.message, 'configmaps "x" not found');
    assert.deepEqual(err.details, { name: 'x', kind: 'configmaps' });
    assert.ok(isNotFound(err));
    assert.ok(!isConflict(err));
  });

  it('synthesizes a reason from the code when the body is not a Status', () => {
    const err = errorFromResponse(410, 'gone away');
    assert.equal(err.reason, 'Gone');
    assert.equal(err.message, 'gone away');
    assert.ok(isGone(err));
    assert.ok(isNotFound(errorFromResponse(404, '')));
  });

  it('tells Conflict from AlreadyExists (both 409) and treats Expired as gone', () => {
    assert.ok(isConflict(new ApiStatusError(409, 'Conflict', 'x')));
    assert.ok(!isConflict(new ApiStatusError(409, 'AlreadyExists', 'x')));
    assert.ok(isAlreadyExists(new ApiStatusError(409, 'AlreadyExists', 'x')));
    assert.ok(isGone(ApiStatusError.fromStatus({ kind: 'Status', reason: 'Expired', code: 410 })));
    assert.ok(!isNotFound(new Error('NotFound')));
  });
});
