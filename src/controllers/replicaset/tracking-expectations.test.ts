import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../util/clock.js';
import { TrackingExpectations } from './tracking-expectations.js';

describe('TrackingExpectations', () => {
  it('counts each expected deletion once, however often it is seen', () => {
    const e = new TrackingExpectations(new FakeClock());
    e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
    e.deletionObserved('ns/rs', 'ns/a'); // deletionTimestamp set
    e.deletionObserved('ns/rs', 'ns/a'); // then actually gone
    e.deletionObserved('ns/rs', 'ns/zzz'); // not one of ours
    assert.ok(!e.satisfied('ns/rs'));
    assert.deepEqual(e.pending('ns/rs'), { add: 0, del: 1 });
    e.deletionObserved('ns/rs', 'ns/b');
    assert.ok(e.satisfied('ns/rs'));
  });
  it('waits for creations and expires after five minutes', () => {
    const clock = new FakeClock();
    const e = new TrackingExpectations(clock);
    e.expectCreations('k', 2);
    e.creationObserved('k');
    assert.ok(!e.satisfied('k'));
    clock.advance(5 * 60 * 1000 + 1);
    assert.ok(e.satisfied('k'));
    e.delete('k');
    assert.equal(e.pending('k'), undefined);
  });
});
