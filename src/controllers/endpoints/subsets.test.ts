import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod, Service } from '../../client/types.js';
import { findPort, shouldPodBeInEndpoints } from './pod-endpoint-rules.js';
import { computeSubsets } from './subsets.js';

const svc = (spec: Record<string, unknown>): Service => ({ metadata: { name: 's', namespace: 'ns' }, spec: { selector: { app: 'a' }, ...spec } });

function pod(name: string, ip: string | undefined, opts: { ready?: boolean; ports?: { name: string; containerPort: number; protocol?: string }[]; phase?: string; restartPolicy?: string; deleting?: boolean } = {}): Pod {
  return {
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, labels: { app: 'a' }, ...(opts.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
    spec: { containers: [{ name: 'c', ports: opts.ports ?? [] }], restartPolicy: opts.restartPolicy ?? 'Always' },
    status: { phase: opts.phase ?? 'Running', podIP: ip, conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  };
}

test('findPort resolves names per pod and protocol, numbers as is', () => {
  const p = pod('p', '1.1.1.1', { ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'web', containerPort: 8080 }] });
  assert.equal(findPort(p, { port: 80, targetPort: 'web' }), 8080);
  assert.equal(findPort(p, { port: 53, targetPort: 'dns', protocol: 'UDP' }), 53);
  assert.equal(findPort(p, { port: 53, targetPort: 'dns', protocol: 'TCP' }), undefined);
  assert.equal(findPort(p, { port: 80, targetPort: 9000 }), 9000);
  assert.equal(findPort(p, { port: 80 }), 80);
});

test('shouldPodBeInEndpoints follows IP, termination and restart policy', () => {
  assert.equal(shouldPodBeInEndpoints(pod('a', undefined), false), false);
  assert.equal(shouldPodBeInEndpoints(pod('a', '1.1.1.1', { deleting: true }), false), false);
  assert.equal(shouldPodBeInEndpoints(pod('a', '1.1.1.1', { deleting: true }), true), true);
  assert.equal(shouldPodBeInEndpoints(pod('a', '1.1.1.1', { phase: 'Succeeded', restartPolicy: 'Never' }), false), false);
  assert.equal(shouldPodBeInEndpoints(pod('a', '1.1.1.1', { phase: 'Failed', restartPolicy: 'OnFailure' }), false), true);
  assert.equal(shouldPodBeInEndpoints(pod('a', '1.1.1.1', { phase: 'Failed', restartPolicy: 'Always' }), false), true);
});

test('pods resolving a named port differently land in different subsets, sorted', () => {
  const s = svc({ ports: [{ name: 'web', port: 80, targetPort: 'web' }] });
  const pods = [
    pod('b', '10.0.0.2', { ports: [{ name: 'web', containerPort: 8080 }] }),
    pod('a', '10.0.0.1', { ports: [{ name: 'web', containerPort: 8080 }], ready: false }),
    pod('c', '10.0.0.3', { ports: [{ name: 'web', containerPort: 9090 }] }),
    pod('d', '10.0.0.4', { ports: [] }),
  ];
  const { subsets, truncated } = computeSubsets(s, pods);
  assert.equal(truncated, false);
  assert.equal(subsets.length, 2);
  const by8080 = subsets.find((x) => x.ports?.[0]?.port === 8080)!;
  assert.deepEqual(by8080.addresses?.map((a) => a.ip), ['10.0.0.2']);
  assert.deepEqual(by8080.notReadyAddresses?.map((a) => a.ip), ['10.0.0.1']);
  assert.deepEqual(subsets.find((x) => x.ports?.[0]?.port === 9090)?.addresses?.map((a) => a.ip), ['10.0.0.3']);
});

test('more than 1000 addresses are truncated, ready ones kept first', () => {
  const pods = Array.from({ length: 1005 }, (_, i) => pod(`p${i}`, `10.1.${Math.floor(i / 250)}.${i % 250}`, { ready: i >= 5 }));
  const { subsets, truncated } = computeSubsets(svc({ ports: [{ port: 80 }] }), pods);
  assert.equal(truncated, true);
  assert.equal(subsets[0]!.addresses!.length, 1000);
  assert.equal(subsets[0]!.notReadyAddresses, undefined);
});
