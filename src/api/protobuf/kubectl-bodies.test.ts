// Real request bodies captured from kubectl 1.32 and 1.33 (see scripts/dev/make-protobuf-fixtures.mjs):
// each must decode to the JSON kubectl itself prints for the same command with --dry-run=client -o json.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeKubernetesProtobuf, encodeKubernetesProtobuf, PROTOBUF_CONTENT_TYPE } from './index.js';

interface Fixture {
  kubectl: string;
  args: string[];
  path: string;
  contentType: string;
  bodyBase64: string;
  expected: Record<string, unknown>;
}

// The JSON stays in the source tree; tests run from dist/src/api/protobuf.
const fixtureFile = fileURLToPath(new URL('../../../../src/api/protobuf/testdata/kubectl-bodies.json', import.meta.url));
const fixtures = JSON.parse(fs.readFileSync(fixtureFile, 'utf8')) as Fixture[];

test('fixtures cover kubectl 1.32 and 1.33', () => {
  assert.deepEqual(new Set(fixtures.map((f) => f.kubectl)), new Set(['1.32', '1.33']));
  assert.ok(fixtures.length >= 30);
});

for (const f of fixtures) {
  const name = `kubectl ${f.kubectl} ${f.args.join(' ')}`;
  test(`${name}: decodes to kubectl's own JSON`, () => {
    assert.equal(f.contentType, PROTOBUF_CONTENT_TYPE);
    const body = Buffer.from(f.bodyBase64, 'base64');
    assert.deepEqual(decodeKubernetesProtobuf(body), f.expected);
  });
  test(`${name}: survives encode then decode`, () => {
    assert.deepEqual(decodeKubernetesProtobuf(encodeKubernetesProtobuf(f.expected)), f.expected);
  });
}
