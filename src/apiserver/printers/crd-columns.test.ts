import assert from 'node:assert/strict';
import { test } from 'node:test';
import { printerFromAdditionalPrinterColumns } from './crd-columns.js';
import { compileJsonPath, JsonPathError } from './jsonpath.js';
import { NOW, meta, units } from './testutil.js';

const { m } = units;

const widget = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: meta('w1', 5 * m, { labels: { 'app.kubernetes.io/name': 'shop', tier: 'gold' } }),
  spec: { replicas: 3, ratio: 1.5, enabled: true, selector: { matchLabels: { a: 'b' } }, ports: [80, 443] },
  status: {
    conditions: [
      { type: 'Synced', status: 'False' },
      { type: 'Ready', status: 'True', lastTransitionTime: '2024-06-01T11:00:00.5Z' },
    ],
  },
};

test('jsonpath subset: fields, escapes, quoted keys, indexes, filters', () => {
  const find = (p: string) => compileJsonPath(p).find(widget);
  assert.deepEqual(find('.spec.replicas'), [3]);
  assert.deepEqual(find('{.spec.replicas}'), [3]);
  assert.deepEqual(find('.metadata.labels.tier'), ['gold']);
  assert.deepEqual(find('.metadata.labels.app\\.kubernetes\\.io/name'), ['shop']);
  assert.deepEqual(find(".metadata.labels['app.kubernetes.io/name']"), ['shop']);
  assert.deepEqual(find('.status.conditions[?(@.type=="Ready")].status'), ['True']);
  assert.deepEqual(find(".status.conditions[?(@.type!='Ready')].type"), ['Synced']);
  assert.deepEqual(find('.status.conditions[0].type'), ['Synced']);
  assert.deepEqual(find('.status.conditions[-1].type'), ['Ready']);
  assert.deepEqual(find('.status.conditions[*].type'), ['Synced', 'Ready']);
  assert.deepEqual(find('.status.conditions[?(@.lastTransitionTime)].type'), ['Ready']);
  assert.deepEqual(find('.spec.missing.deeper'), []);
  assert.throws(() => compileJsonPath('..spec'), JsonPathError);
  assert.throws(() => compileJsonPath('.spec[1:2]'), JsonPathError);
});

test('CRD printer: NAME first, then the declared columns typed as declared', () => {
  const p = printerFromAdditionalPrinterColumns([
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status', description: 'Readiness' },
    { name: 'Ratio', type: 'number', jsonPath: '.spec.ratio', priority: 1 },
    { name: 'Enabled', type: 'boolean', jsonPath: '.spec.enabled' },
    { name: 'Selector', type: 'string', jsonPath: '.spec.selector' },
    { name: 'Ports', type: 'string', jsonPath: '.spec.ports' },
    { name: 'Since', type: 'date', jsonPath: '.status.conditions[?(@.type=="Ready")].lastTransitionTime' },
    { name: 'Missing', type: 'string', jsonPath: '.status.nothing' },
    { name: 'Wrong', type: 'integer', jsonPath: '.metadata.name' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ]);
  assert.deepEqual(
    p.columns.map((c) => [c.name, c.type, c.priority, c.format]),
    [
      ['Name', 'string', 0, 'name'],
      ['Replicas', 'integer', 0, ''],
      ['Ready', 'string', 0, ''],
      ['Ratio', 'number', 1, ''],
      ['Enabled', 'boolean', 0, ''],
      ['Selector', 'string', 0, ''],
      ['Ports', 'string', 0, ''],
      ['Since', 'date', 0, ''],
      ['Missing', 'string', 0, ''],
      ['Wrong', 'integer', 0, ''],
      ['Age', 'date', 0, ''],
    ],
  );
  assert.equal(p.columns[1].description, 'Custom resource definition column (in JSONPath format): .spec.replicas');
  assert.equal(p.columns[2].description, 'Readiness');
  assert.deepEqual(p.cells(widget, NOW), [
    'w1',
    3,
    'True',
    1.5,
    true,
    '{"matchLabels":{"a":"b"}}',
    '[80,443]',
    '59m', // 59m59.5s, rounded down as upstream does
    null,
    null,
    '5m',
  ]);
});

test('a CRD without printer columns gets a single Age date column', () => {
  const p = printerFromAdditionalPrinterColumns([]);
  assert.deepEqual(p.columns.map((c) => [c.name, c.type]), [
    ['Name', 'string'],
    ['Age', 'date'],
  ]);
  assert.deepEqual(p.cells(widget, NOW), ['w1', '5m']);
});
