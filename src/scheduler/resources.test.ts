import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podRequests, quantityMilli, quantityValue, QuantityParseError } from './resources.js';
import { makePod } from './testing/fixtures.js';

test('quantities parse exactly and round up like upstream', () => {
  const cases: [string, number][] = [
    ['100m', 100],
    ['0.1', 100],
    ['1', 1000],
    ['1.5', 1500],
    ['1k', 1_000_000],
    ['1Ki', 1_024_000],
    ['1Mi', 1024 * 1024 * 1000],
    ['1e3', 1_000_000],
    ['1E', 1e21],
    ['1n', 1], // rounds up
    ['.5', 500],
  ];
  for (const [q, milli] of cases) assert.equal(quantityMilli(q), milli, q);
  assert.equal(quantityValue('1Gi'), 1024 ** 3);
  assert.equal(quantityValue('100m'), 1);
  assert.throws(() => quantityMilli('1 Gi'), QuantityParseError);
  assert.throws(() => quantityMilli('abc'), QuantityParseError);
});

test('pod requests: sum of containers vs init peak, sidecars, overhead, non-zero defaults', () => {
  const pod = makePod('p', {
    cpu: '200m',
    memory: '100Mi',
    spec: {
      containers: [
        { name: 'a', resources: { requests: { cpu: '200m', memory: '100Mi' } } },
        { name: 'b' },
      ],
      initContainers: [
        { name: 'side', restartPolicy: 'Always', resources: { requests: { cpu: '100m' } } },
        { name: 'init', resources: { requests: { cpu: '1', memory: '50Mi' } } },
      ],
      overhead: { cpu: '10m' },
    },
  });
  const r = podRequests(pod);
  // max(200 + 100 sidecar, 1000 + 100 sidecar) + 10 overhead
  assert.equal(r.milliCPU, 1110);
  assert.equal(r.memory, 100 * 1024 * 1024);
  const nz = podRequests(pod, true);
  // container b counts as 100m / 200Mi; sidecar has no memory request → 200Mi
  assert.equal(nz.milliCPU, Math.max(200 + 100 + 100, 1000 + 100) + 10);
  assert.equal(nz.memory, (100 + 200 + 200) * 1024 * 1024);
});
