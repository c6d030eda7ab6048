import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podQosClass } from './qos.js';

const c = (resources?: object) => ({ name: 'c', image: 'i', resources });

test('podQosClass follows the upstream rules', () => {
  assert.equal(podQosClass({ containers: [c()] }), 'BestEffort');
  assert.equal(podQosClass({ containers: [c({ requests: { cpu: '0' } })] }), 'BestEffort', 'zero requests do not count');
  assert.equal(podQosClass({ containers: [c({ requests: { cpu: '100m' } })] }), 'Burstable');
  assert.equal(podQosClass({ containers: [c({ limits: { cpu: '1', memory: '1Gi' } })] }), 'Guaranteed', 'requests default to limits');
  assert.equal(podQosClass({ containers: [c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1Gi' } })] }), 'Guaranteed');
  assert.equal(podQosClass({ containers: [c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } })] }), 'Burstable');
  assert.equal(podQosClass({ containers: [c({ limits: { cpu: '1' } })] }), 'Burstable', 'memory limit missing');
  assert.equal(
    podQosClass({ containers: [c({ limits: { cpu: '1', memory: '1Gi' } }), c()] }),
    'Burstable',
    'one best-effort container makes the pod burstable',
  );
  assert.equal(podQosClass({ containers: [c()], initContainers: [c({ requests: { memory: '10Mi' } })] }), 'Burstable');
  assert.equal(podQosClass(undefined), 'BestEffort');
});
