import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseSchedulerConfiguration } from './config.js';
import { buildFramework, buildProfiles } from './profile.js';
import { inTreeRegistry } from '../plugins/registry.js';

const YAML = `
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
percentageOfNodesToScore: 30
profiles:
  - schedulerName: default-scheduler
  - schedulerName: bin-packer
    percentageOfNodesToScore: 70
    plugins:
      score:
        disabled:
          - name: NodeResourcesBalancedAllocation
          - name: ImageLocality
        enabled:
          - name: NodeResourcesFit
            weight: 5
      filter:
        disabled:
          - name: TaintToleration
    pluginConfig:
      - name: NodeResourcesFit
        args:
          scoringStrategy:
            type: MostAllocated
`;

test('parses profiles and builds the default extension points', () => {
  const cfg = parseSchedulerConfiguration(YAML);
  assert.equal(cfg.podInitialBackoffSeconds, 1);
  assert.equal(cfg.podMaxBackoffSeconds, 10);
  assert.deepEqual(cfg.profiles.map((p) => p.schedulerName), ['default-scheduler', 'bin-packer']);
  const registry = inTreeRegistry();
  const def = buildFramework(cfg.profiles[0], registry, { percentageOfNodesToScore: cfg.percentageOfNodesToScore });
  assert.equal(def.percentageOfNodesToScore, 30);
  assert.deepEqual(def.points.filter.map((p) => p.name), [
    'NodeUnschedulable',
    'NodeName',
    'TaintToleration',
    'NodeAffinity',
    'NodePorts',
    'NodeResourcesFit',
    'PodTopologySpread',
    'InterPodAffinity',
  ]);
  assert.deepEqual(def.points.score.map((s) => `${s.plugin.name}:${s.weight}`), [
    'TaintToleration:3',
    'NodeAffinity:2',
    'NodeResourcesFit:1',
    'PodTopologySpread:2',
    'InterPodAffinity:2',
    'NodeResourcesBalancedAllocation:1',
  ]);
  assert.deepEqual(def.points.postFilter.map((p) => p.name), ['DefaultPreemption']);
  assert.deepEqual(def.points.bind.map((p) => p.name), ['DefaultBinder']);
});

test('per-point enable/disable and weights override MultiPoint', () => {
  const cfg = parseSchedulerConfiguration(YAML);
  const fw = buildFramework(cfg.profiles[1], inTreeRegistry());
  assert.equal(fw.percentageOfNodesToScore, 70);
  assert.ok(!fw.points.filter.some((p) => p.name === 'TaintToleration'));
  assert.deepEqual(fw.points.score.map((s) => `${s.plugin.name}:${s.weight}`), [
    'NodeResourcesFit:5',
    'TaintToleration:3',
    'NodeAffinity:2',
    'PodTopologySpread:2',
    'InterPodAffinity:2',
  ]);
});

test('multiPoint disabled "*" leaves only what is enabled', () => {
  const cfg = parseSchedulerConfiguration(
    JSON.stringify({ profiles: [{ plugins: { multiPoint: { disabled: [{ name: '*' }], enabled: [{ name: 'NodeName' }, { name: 'NodeResourcesFit', weight: 2 }] } } }] }),
  );
  const fw = buildFramework(cfg.profiles[0], inTreeRegistry());
  assert.deepEqual(fw.points.filter.map((p) => p.name), ['NodeName', 'NodeResourcesFit']);
  assert.deepEqual(fw.points.score.map((s) => `${s.plugin.name}:${s.weight}`), ['NodeResourcesFit:2']);
  assert.equal(fw.points.postFilter.length, 0);
});

test('invalid configurations are rejected with a ConfigError', () => {
  const bad = [
    'apiVersion: kubescheduler.config.k8s.io/v1beta1',
    'profiles: [{schedulerName: a}, {schedulerName: a}]',
    'percentageOfNodesToScore: 101',
    'profiles: [{plugins: {nope: {}}}]',
    'podInitialBackoffSeconds: 5\npodMaxBackoffSeconds: 2',
  ];
  for (const text of bad) assert.throws(() => parseSchedulerConfiguration(text), ConfigError, text);
  const unknown = parseSchedulerConfiguration('profiles: [{plugins: {filter: {enabled: [{name: Bogus}]}}}]');
  assert.throws(() => buildFramework(unknown.profiles[0], inTreeRegistry()), /"Bogus" does not exist/);
  const badArgs = parseSchedulerConfiguration(
    'profiles: [{pluginConfig: [{name: NodeResourcesFit, args: {scoringStrategy: {type: RequestedToCapacityRatio}}}]}]',
  );
  assert.throws(() => buildFramework(badArgs.profiles[0], inTreeRegistry()), ConfigError);
});

test('buildProfiles maps schedulerName to its framework with the global percentage', () => {
  const profiles = buildProfiles(parseSchedulerConfiguration(YAML), inTreeRegistry());
  assert.deepEqual([...profiles.keys()], ['default-scheduler', 'bin-packer']);
  assert.equal(profiles.get('default-scheduler')!.percentageOfNodesToScore, 30);
  assert.equal(profiles.get('bin-packer')!.percentageOfNodesToScore, 70);
});
