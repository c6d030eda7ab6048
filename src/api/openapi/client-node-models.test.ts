import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadApiTypeUses, loadModelClasses, parseAttributeTypeMap, parseDeclaration } from './client-node-models.js';

test('parseAttributeTypeMap reads the JSON literal', () => {
  const js = `X.attributeTypeMap = [\n {"name": "a", "baseName": "a", "type": "string", "format": ""},\n {"name": "b", "baseName": "b-json", "type": "number", "format": "int32"}\n];\n`;
  const attrs = parseAttributeTypeMap('X', js);
  assert.deepEqual(
    attrs.map((a) => [a.baseName, a.type, a.format]),
    [
      ['a', 'string', ''],
      ['b-json', 'number', 'int32'],
    ],
  );
  assert.throws(() => parseAttributeTypeMap('Y', js), /no attributeTypeMap/);
});

test('parseDeclaration reads descriptions, optionality and unescapes quotes', () => {
  const dts = [
    '/**',
    "* Thing is a thing.",
    '*/',
    'export declare class V1Thing {',
    '    /**',
    "    * The thing\\'s name.",
    '    */',
    "    'name': string;",
    "    'spec'?: V1ThingSpec;",
    '}',
  ].join('\n');
  const docs = parseDeclaration('V1Thing', dts);
  assert.equal(docs.classDescription, 'Thing is a thing.');
  assert.deepEqual(docs.fields.get('name'), { description: "The thing's name.", optional: false });
  assert.deepEqual(docs.fields.get('spec'), { optional: true });
});

test('loadModelClasses reads the installed client-node models', () => {
  const models = loadModelClasses();
  const container = models.get('V1Container');
  assert.ok(container);
  const name = container.fields.find((f) => f.jsonName === 'name');
  assert.equal(name?.required, true);
  assert.equal(container.fields.find((f) => f.jsonName === 'image')?.required, false);
  assert.match(container.description ?? '', /container/i);
});

test('loadApiTypeUses ties classes to the group-version of the API that serves them', () => {
  const uses = loadApiTypeUses();
  assert.ok(uses.some((u) => u.className === 'V1Deployment' && u.group === 'apps' && u.version === 'v1'));
  assert.ok(uses.some((u) => u.className === 'V1PodList' && u.group === '' && u.version === 'v1'));
});
