import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, meta, template } from './testdata.js';

const deployment = (spec: Record<string, unknown>, metadata: Record<string, unknown> = meta('web')) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata,
  spec,
});

const MISMATCH = 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`';

test('deployments', () => {
  const sel = { matchLabels: { app: 'web' } };
  assert.deepEqual(check('apps', 'Deployment', deployment({ selector: sel, template: template() })), []);
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['missing selector', deployment({ template: template() }), ['spec.selector: Required value', MISMATCH]],
    ['selector mismatch', deployment({ selector: { matchLabels: { app: 'api' } }, template: template() }), [MISMATCH]],
    [
      'template without labels',
      deployment({ selector: sel, template: { spec: { containers: [{ name: 'a', image: 'b' }] } } }),
      ['spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`'],
    ],
    [
      'empty selector',
      deployment({ selector: {}, template: template() }),
      [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
      ],
    ],
    [
      'negative replicas',
      deployment({ replicas: -1, selector: sel, template: template() }),
      ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'template restart policy',
      deployment({ selector: sel, template: template({ app: 'web' }, { restartPolicy: 'Never' }) }),
      ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ],
    [
      'strategy',
      deployment({ selector: sel, template: template(), strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: '150%' } } }),
      [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
      ],
    ],
    [
      'both zero',
      deployment({ selector: sel, template: template(), strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }),
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0'],
    ],
    [
      'template labels',
      deployment({ selector: { matchLabels: { 'a b': 'x' } }, template: template({ 'a b': 'x' }) }),
      [
        "spec.selector.matchLabels: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        "spec.template.labels: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ],
    ],
    [
      'container image in template',
      deployment({ selector: sel, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a' }] } } }),
      ['spec.template.spec.containers[0].image: Required value'],
    ],
  ];
  for (const [name, obj, want] of cases) assert.deepEqual(check('apps', 'Deployment', obj), want, name);

  const old = deployment({ selector: sel, template: template() });
  const changed = deployment({ selector: { matchLabels: { app: 'web', v: '2' } }, template: template({ app: 'web', v: '2' }) });
  assert.deepEqual(check('apps', 'Deployment', changed, old), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "v":"2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
  assert.deepEqual(check('apps', 'Deployment', deployment({ replicas: 5, selector: sel, template: template() }), old), []);
});

test('replica sets, stateful sets and daemon sets', () => {
  const sel = { matchLabels: { app: 'web' } };
  assert.deepEqual(check('apps', 'ReplicaSet', { metadata: meta('rs'), spec: { selector: sel, template: template() } }), []);
  assert.deepEqual(check('apps', 'ReplicaSet', { metadata: meta('rs'), spec: { template: template() } }), [
    'spec.selector: Required value',
    MISMATCH,
  ]);
  const sts = { metadata: meta('db'), spec: { serviceName: 'db', selector: sel, template: template() } };
  assert.deepEqual(check('apps', 'StatefulSet', sts), []);
  assert.deepEqual(check('apps', 'StatefulSet', { ...sts, spec: { ...sts.spec, podManagementPolicy: 'Random' } }), [
    "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'",
  ]);
  assert.deepEqual(check('apps', 'StatefulSet', { ...sts, spec: { ...sts.spec, serviceName: 'other' } }, sts), [
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
  ]);
  assert.deepEqual(check('apps', 'StatefulSet', { ...sts, spec: { ...sts.spec, replicas: 3 } }, sts), []);
  assert.equal(check('apps', 'StatefulSet', { ...sts, metadata: meta('a.b') }).length, 1); // names are DNS labels

  const ds = { metadata: meta('agent'), spec: { selector: sel, template: template() } };
  assert.deepEqual(check('apps', 'DaemonSet', ds), []);
  assert.deepEqual(check('apps', 'DaemonSet', { ...ds, spec: { ...ds.spec, template: template({ app: 'x' }) } }), [
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`',
  ]);
  assert.deepEqual(check('apps', 'DaemonSet', { ...ds, spec: { ...ds.spec, updateStrategy: { type: 'Sometimes' } } }), [
    'spec.updateStrategy.type: Unsupported value: "Sometimes": supported values: "RollingUpdate", "OnDelete"',
  ]);
});
