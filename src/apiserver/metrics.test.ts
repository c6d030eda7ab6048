import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Metrics } from './metrics.js';

test('request metrics count per verb, resource, subresource and code; watches get no latency', async () => {
  const m = new Metrics(() => 3);
  m.observeRequest('CREATE', 'pods', '', 201, 0.002);
  m.observeRequest('CREATE', 'pods', '', 201, 0.02);
  m.observeRequest('CREATE', 'pods', '', 409, 0.001);
  m.observeRequest('UPDATE', 'pods', 'status', 200, 0.004);
  m.observeRequest('WATCH', 'pods', '', 200, 30);
  const text = await m.render();
  const line = (re: RegExp) => text.split('\n').find((l) => re.test(l));
  assert.match(line(/^apiserver_request_total\{verb="CREATE",resource="pods",subresource="",code="201"\}/)!, / 2$/);
  assert.match(line(/^apiserver_request_total\{verb="CREATE",resource="pods",subresource="",code="409"\}/)!, / 1$/);
  assert.match(line(/^apiserver_request_total\{verb="UPDATE",resource="pods",subresource="status",code="200"\}/)!, / 1$/);
  assert.match(line(/^apiserver_request_duration_seconds_count\{verb="CREATE",resource="pods",subresource=""\}/)!, / 3$/);
  assert.match(line(/^apiserver_request_duration_seconds_bucket\{le="0.005",verb="CREATE",resource="pods",subresource=""\}/)!, / 2$/);
  assert.equal(line(/^apiserver_request_duration_seconds_count\{verb="WATCH"/), undefined);
  assert.match(line(/^apiserver_registered_watchers /)!, / 3$/);
});
