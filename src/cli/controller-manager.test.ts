import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnknownControllerError } from '../controllers/registry.js';
import { parseControllerManagerFlags, UsageError } from './controller-manager.js';
import { DurationParseError, parseDurationSeconds } from './go-duration.js';

test('Go durations', () => {
  assert.equal(parseDurationSeconds('40s'), 40);
  assert.equal(parseDurationSeconds('1m30s'), 90);
  assert.equal(parseDurationSeconds('500ms'), 0.5);
  assert.equal(parseDurationSeconds('12'), 12);
  assert.throws(() => parseDurationSeconds('5 minutes'), DurationParseError);
  assert.throws(() => parseDurationSeconds(''), DurationParseError);
});

test('controller-manager flags', () => {
  const f = parseControllerManagerFlags(['--kubeconfig', 'k.yaml', '--leader-elect=false', '--controllers', '*,-podgc', '--node-monitor-grace-period', '2s', '--cluster-cidr', '10.50.0.0/16', '--node-cidr-mask-size', '26'])!;
  assert.equal(f.kubeconfig, 'k.yaml');
  assert.equal(f.leaderElect, false);
  assert.deepEqual(f.controllers, ['*', '-podgc']);
  assert.equal(f.options.nodeMonitorGracePeriodSeconds, 2);
  assert.equal(f.options.clusterCidr, '10.50.0.0/16');
  assert.equal(f.options.nodeCidrMaskSize, 26);
  assert.equal(parseControllerManagerFlags(['--kubeconfig', 'k', '--leader-elect'])!.leaderElect, true);
  assert.equal(parseControllerManagerFlags(['--help']), undefined);
  assert.throws(() => parseControllerManagerFlags([]), UsageError);
  assert.throws(() => parseControllerManagerFlags(['--kubeconfig', 'k', '--controllers', 'bogus']), UnknownControllerError);
  assert.throws(() => parseControllerManagerFlags(['--kubeconfig', 'k', '--leader-elect=maybe']), UsageError);
});
