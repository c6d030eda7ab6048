import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeFailureMessage, SchemaNotFoundError, validateAgainstSchema } from './validate.js';
import type { Definitions } from './schema-types.js';

const deployment = (extra: Record<string, unknown> = {}, container: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' }, creationTimestamp: null },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          { name: 'a', image: 'nginx', resources: { limits: { cpu: 1, memory: '64Mi' } } },
          { name: 'b', image: 'nginx', ports: [{ containerPort: 80 }], ...container },
        ],
      },
    },
    ...extra,
  },
});

const GVK = { group: 'apps', version: 'v1', kind: 'Deployment' };

test('a valid object has no errors or warnings (numbers for Quantity, int-or-string both ways)', () => {
  assert.deepEqual(validateAgainstSchema(GVK, deployment(), 'Strict'), { errors: [], warnings: [] });
  assert.deepEqual(validateAgainstSchema('io.k8s.api.apps.v1.Deployment', deployment(), 'Strict'), { errors: [], warnings: [] });
});

test('Strict: unknown fields are errors with upstream paths', () => {
  const r = validateAgainstSchema(GVK, deployment({ foo: 1 }, { bar: { x: 1 } }), 'Strict');
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(
    r.errors.map((e) => [e.reason, e.field, e.message]),
    [
      ['FieldValueInvalid', 'spec.template.spec.containers[1].bar', 'unknown field "spec.template.spec.containers[1].bar"'],
      ['FieldValueInvalid', 'spec.foo', 'unknown field "spec.foo"'],
    ],
  );
  assert.equal(
    decodeFailureMessage(GVK, r.errors, ['spec.replicas']),
    'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[1].bar", unknown field "spec.foo", duplicate field "spec.replicas"',
  );
});

test('Warn: unknown fields become warnings; Ignore: nothing', () => {
  assert.deepEqual(validateAgainstSchema(GVK, deployment({ foo: 1 }), 'Warn'), { errors: [], warnings: ['unknown field "spec.foo"'] });
  assert.deepEqual(validateAgainstSchema(GVK, deployment({ foo: 1 }), 'Ignore'), { errors: [], warnings: [] });
});

test('unknown metadata fields are caught; map values (labels) are free', () => {
  const obj = deployment();
  (obj.metadata as Record<string, unknown>).labelz = {};
  assert.deepEqual(validateAgainstSchema(GVK, obj, 'Warn').warnings, ['unknown field "metadata.labelz"']);
});

test('type mismatches are decoding errors in every mode, reported alone', () => {
  for (const mode of ['Strict', 'Warn', 'Ignore'] as const) {
    const r = validateAgainstSchema(GVK, deployment({ replicas: 'two', foo: 1 }), mode);
    assert.deepEqual(r.warnings, []);
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0]?.field, 'spec.replicas');
    assert.equal(r.errors[0]?.message, 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
  }
  const containers = validateAgainstSchema(GVK, deployment({}, { image: 5 }), 'Ignore');
  assert.equal(containers.errors[0]?.message, 'json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers[1].image of type string');
  assert.equal(
    decodeFailureMessage(GVK, containers.errors),
    'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers[1].image of type string',
  );
  const list = validateAgainstSchema(GVK, deployment({}, { ports: 'x' }), 'Strict');
  assert.match(list.errors[0]?.message ?? '', /of type \[\]v1\.ContainerPort$/);
  const bool = validateAgainstSchema(GVK, deployment({ paused: 'yes' }), 'Strict');
  assert.match(bool.errors[0]?.message ?? '', /cannot unmarshal string into .* of type bool$/);
  const float = validateAgainstSchema(GVK, deployment({ replicas: 1.5 }), 'Strict');
  assert.equal(float.errors[0]?.field, 'spec.replicas');
  const intOrString = validateAgainstSchema(GVK, deployment({ strategy: { rollingUpdate: { maxSurge: true } } }), 'Strict');
  assert.equal(intOrString.errors[0]?.field, 'spec.strategy.rollingUpdate.maxSurge');
});

test('server-side apply wording', () => {
  const r = validateAgainstSchema(GVK, deployment({ foo: 1 }), 'Strict', { style: 'apply' });
  assert.deepEqual(r.errors.map((e) => e.message), ['.spec.foo: field not declared in schema']);
});

test('preserve-unknown-fields and free-form objects accept anything', () => {
  const r = validateAgainstSchema(
    { group: 'apps', version: 'v1', kind: 'ControllerRevision' },
    { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'x' }, revision: 1, data: { anything: [1, 'a'] } },
    'Strict',
  );
  assert.deepEqual(r, { errors: [], warnings: [] });
});

test('custom definitions (CRD schemas) validate too', () => {
  const definitions: Definitions = {
    'com.example.v1.Widget': {
      type: 'object',
      'x-kubernetes-group-version-kind': [{ group: 'example.com', version: 'v1', kind: 'Widget' }],
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        spec: {
          type: 'object',
          properties: { size: { type: 'integer' }, extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      },
    },
  };
  const gvk = { group: 'example.com', version: 'v1', kind: 'Widget' };
  const r = validateAgainstSchema(gvk, { apiVersion: 'example.com/v1', kind: 'Widget', spec: { size: 3, colour: 'red', extra: { a: 1 } } }, 'Strict', { definitions });
  assert.deepEqual(r.errors.map((e) => e.field), ['spec.colour']);
  assert.throws(() => validateAgainstSchema({ ...gvk, kind: 'Gadget' }, {}, 'Strict', { definitions }), SchemaNotFoundError);
});

test('realistic manifests of several kinds validate cleanly under Strict', () => {
  const samples: Array<[{ group: string; version: string; kind: string }, Record<string, unknown>]> = [
    [
      { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' },
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'crontabs.stable.example.com' },
        spec: {
          group: 'stable.example.com',
          scope: 'Namespaced',
          names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', shortNames: ['ct'] },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    spec: {
                      type: 'object',
                      required: ['cronSpec'],
                      properties: { cronSpec: { type: 'string' }, replicas: { type: 'integer', minimum: 1, default: 1 } },
                      additionalProperties: false,
                      'x-kubernetes-validations': [{ rule: 'self.replicas < 5', message: 'too many' }],
                    },
                  },
                },
              },
            },
          ],
        },
      },
    ],
    [
      { group: '', version: 'v1', kind: 'Service' },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 's' },
        spec: { selector: { app: 'x' }, type: 'NodePort', ports: [{ port: 80, targetPort: 8080 }, { name: 'h', port: 81, targetPort: 'http' }] },
      },
    ],
    [
      { group: 'batch', version: 'v1', kind: 'CronJob' },
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'c' },
        spec: {
          schedule: '* * * * *',
          jobTemplate: {
            spec: {
              template: {
                spec: {
                  restartPolicy: 'Never',
                  containers: [
                    {
                      name: 'c',
                      image: 'busybox',
                      env: [{ name: 'C', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: 1 } } }],
                      resources: { requests: { cpu: '100m', memory: 128974848 } },
                      livenessProbe: { httpGet: { path: '/', port: 8080 } },
                    },
                  ],
                  volumes: [{ name: 'v', emptyDir: { sizeLimit: '1Gi' } }],
                  tolerations: [{ key: 'k', operator: 'Exists', tolerationSeconds: 5 }],
                },
              },
            },
          },
        },
      },
    ],
    [
      { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' },
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'h' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' },
          maxReplicas: 5,
          metrics: [{ type: 'Pods', pods: { metric: { name: 'x' }, target: { type: 'AverageValue', averageValue: 1 } } }],
        },
      },
    ],
    [
      { group: '', version: 'v1', kind: 'Event' },
      { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'p' }, eventTime: '2024-01-01T00:00:00.000000Z', count: 1 },
    ],
  ];
  for (const [gvk, obj] of samples) assert.deepEqual(validateAgainstSchema(gvk, obj, 'Strict'), { errors: [], warnings: [] }, gvk.kind);
});

test('a clean type shape is remembered, but values of another type or an extra key are still caught', () => {
  // Same shape, other values: clean (from the cache or not, the answer is the same).
  assert.deepEqual(validateAgainstSchema(GVK, deployment({ replicas: 7 }), 'Strict'), { errors: [], warnings: [] });
  assert.deepEqual(validateAgainstSchema(GVK, deployment({ replicas: 9 }), 'Strict'), { errors: [], warnings: [] });
  // A float where an integer goes, and a string, after the integer shape was seen clean.
  assert.equal(validateAgainstSchema(GVK, deployment({ replicas: 1.5 }), 'Strict').errors[0]?.type, 'type');
  assert.equal(validateAgainstSchema(GVK, deployment({ replicas: 'two' }), 'Strict').errors[0]?.type, 'type');
  assert.equal(validateAgainstSchema(GVK, deployment({}, { extra: 1 }), 'Strict').errors[0]?.field, 'spec.template.spec.containers[1].extra');
  // The same unknown-field shape is reported each time, per mode.
  assert.equal(validateAgainstSchema(GVK, deployment({}, { extra: 2 }), 'Warn').warnings.length, 1);
  assert.equal(validateAgainstSchema(GVK, deployment({}, { extra: 3 }), 'Warn').warnings.length, 1);
});

test('typeShapeOf keeps keys and JSON types, not values', async () => {
  const { typeShapeOf } = await import('./validate.js');
  assert.equal(typeShapeOf({ a: 1, b: 'x', c: [true, null] }), typeShapeOf({ a: 2, b: 'y', c: [false, undefined] }));
  assert.notEqual(typeShapeOf({ a: 1 }), typeShapeOf({ a: 1.5 }));
  assert.notEqual(typeShapeOf({ a: 1 }), typeShapeOf({ a: '1' }));
  assert.notEqual(typeShapeOf({ a: [1] }), typeShapeOf({ a: [1, 2] }));
  assert.notEqual(typeShapeOf({ a: {} }), typeShapeOf({ b: {} }));
});
