import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  duplicate,
  fieldErrorString,
  forbidden,
  invalid,
  invalidStatus,
  invalidStatusDetails,
  notFound,
  notSupported,
  required,
  tooLong,
  tooMany,
} from './field-error.js';
import { goIntOrString, goLabelSelector } from './go-format.js';

test('errors render as upstream field.Error does', () => {
  const cases: [ReturnType<typeof required>, string][] = [
    [required('spec.containers[0].image'), 'spec.containers[0].image: Required value'],
    [required('metadata.name', 'name or generateName is required'), 'metadata.name: Required value: name or generateName is required'],
    [invalid('metadata.name', 'Bad', 'oops'), 'metadata.name: Invalid value: "Bad": oops'],
    [invalid('spec.replicas', -1, 'must be greater than or equal to 0'), 'spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    [invalid('x', null, 'y'), 'x: Invalid value: null: y'],
    [invalid('x', true, 'y'), 'x: Invalid value: true: y'],
    [invalid('l', { b: '2', a: '1' }, 'm'), 'l: Invalid value: map[string]string{"a":"1", "b":"2"}: m'],
    [invalid('l', ['x', 'y'], 'm'), 'l: Invalid value: []string{"x", "y"}: m'],
    [
      notSupported('spec.restartPolicy', 'Sometimes', ['Always', 'OnFailure', 'Never']),
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ],
    [duplicate('spec.containers[1].name', 'web'), 'spec.containers[1].name: Duplicate value: "web"'],
    [forbidden('spec', 'nope'), 'spec: Forbidden: nope'],
    [tooLong('metadata.annotations', 262144), 'metadata.annotations: Too long: may not be more than 262144 bytes'],
    [tooLong('x', 1), 'x: Too long: may not be more than 1 byte'],
    [tooMany('spec.endpoints', 1001, 1000), 'spec.endpoints: Too many: 1001: must have at most 1000 items'],
    [notFound('spec.containers[0].volumeMounts[0].name', 'data'), 'spec.containers[0].volumeMounts[0].name: Not found: "data"'],
    [invalid('q', 'a"b\n', 'z'), 'q: Invalid value: "a\\"b\\n": z'],
    [invalid('s', goIntOrString('5x'), 'z'), 's: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"5x"}: z'],
    [
      invalid('spec.selector', goLabelSelector({ matchLabels: { app: 'web' } }), 'field is immutable'),
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ],
  ];
  for (const [err, want] of cases) assert.equal(fieldErrorString(err), want);
});

test('Status message: one error bare, several bracketed, duplicates dropped', () => {
  const one = invalidStatusDetails('Pod', 'x', [required('spec.containers')]);
  assert.equal(one.message, 'Pod "x" is invalid: spec.containers: Required value');
  assert.deepEqual(one.causes, [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }]);

  const two = invalidStatusDetails(
    'Deployment',
    'web',
    [required('spec.selector'), required('spec.selector'), invalid('spec.replicas', -1, 'must be greater than or equal to 0')],
    'apps',
  );
  assert.equal(
    two.message,
    'Deployment.apps "web" is invalid: [spec.selector: Required value, spec.replicas: Invalid value: -1: must be greater than or equal to 0]',
  );
  assert.equal(two.causes.length, 3); // causes keep every error, as upstream's do

  const status = invalidStatus('ConfigMap', 'bad', [invalid('data[a b]', 'a b', 'm')]);
  assert.equal(status.code, 422);
  assert.equal(status.reason, 'Invalid');
  assert.deepEqual(status.details, {
    name: 'bad',
    kind: 'ConfigMap',
    causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: "a b": m', field: 'data[a b]' }],
  });
});
