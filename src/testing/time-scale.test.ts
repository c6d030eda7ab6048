import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTimeScale, scaleKubectlTimeouts } from './time-scale.js';

describe('TEST_TIME_SCALE', () => {
  it('reads a factor of at least 1, capped at 10', () => {
    assert.equal(parseTimeScale('3'), 3);
    assert.equal(parseTimeScale('1.5'), 1.5);
    assert.equal(parseTimeScale('40'), 10);
  });
  it('treats unset, malformed and shrinking values as 1', () => {
    for (const raw of [undefined, '', 'fast', '0.5', '-2', 'NaN']) assert.equal(parseTimeScale(raw), 1, String(raw));
  });
  it("stretches kubectl's --timeout and --request-timeout in whole seconds, and nothing else", () => {
    assert.deepEqual(scaleKubectlTimeouts(['wait', '--timeout=20s', '--request-timeout=8s', '--grace-period=5', 'cm/--timeout=3s'], 2.5), ['wait', '--timeout=50s', '--request-timeout=20s', '--grace-period=5', 'cm/--timeout=3s']);
    assert.deepEqual(scaleKubectlTimeouts(['--timeout=60s'], 1), ['--timeout=60s']);
    assert.deepEqual(scaleKubectlTimeouts(['exec', 'p', '--request-timeout=5s', '--', 'cmd', '--timeout=3s'], 2), ['exec', 'p', '--request-timeout=10s', '--', 'cmd', '--timeout=3s']);
  });
});
