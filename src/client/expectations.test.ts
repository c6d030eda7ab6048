import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../util/clock.js';
import { ControllerExpectations, EXPECTATIONS_TIMEOUT_MS } from './expectations.js';

describe('ControllerExpectations', () => {
  it('is satisfied once every expected create and delete is observed', () => {
    const e = new ControllerExpectations(new FakeClock());
    assert.ok(e.satisfiedExpectations('ns/rs'), 'nothing recorded');
    e.setExpectations('ns/rs', 2, 1);
    e.creationObserved('ns/rs');
    assert.ok(!e.satisfiedExpectations('ns/rs'));
    e.creationObserved('ns/rs');
    assert.ok(!e.satisfiedExpectations('ns/rs'));
    e.deletionObserved('ns/rs');
    assert.ok(e.satisfiedExpectations('ns/rs'));
    assert.deepEqual(e.getExpectations('ns/rs'), { add: 0, del: 0 });
  });

  it('raises and lowers, and expires after five minutes', () => {
    const clock = new FakeClock();
    const e = new ControllerExpectations(clock);
    e.expectCreations('k', 1);
    e.raiseExpectations('k', 2, 0);
    e.lowerExpectations('k', 1, 0);
    assert.deepEqual(e.getExpectations('k'), { add: 2, del: 0 });
    clock.advance(EXPECTATIONS_TIMEOUT_MS);
    assert.ok(!e.satisfiedExpectations('k'));
    clock.advance(1);
    assert.ok(e.satisfiedExpectations('k'), 'expired');
    e.deleteExpectations('k');
    assert.equal(e.getExpectations('k'), undefined);
  });
});
