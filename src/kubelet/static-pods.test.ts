import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { Pod } from '../api/core-v1.js';
import { FakeClock } from '../util/clock.js';
import { silentLogger } from '../util/log.js';
import { MIRROR_ANNOTATION, mirrorPodFor, StaticPodSource } from './static-pods.js';

test('manifests become node-named pods with content UIDs; an edit gives a new UID; bad files are skipped', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-static-unit-'));
  try {
    const seen: Pod[][] = [];
    const src = new StaticPodSource(dir, 'n1', new FakeClock(), silentLogger, (p) => seen.push(p));
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: i}]}\n');
    fs.writeFileSync(path.join(dir, 'b.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b', namespace: 'kube-system' }, spec: { containers: [{ name: 'c', image: 'i' }] } }));
    fs.writeFileSync(path.join(dir, 'bad.yaml'), ': : :');
    const pods = src.scan();
    assert.deepEqual(pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`), ['default/a-n1', 'kube-system/b-n1']);
    assert.equal(pods[0]!.spec.nodeName, 'n1');
    assert.equal(pods[0]!.metadata.annotations!['kubernetes.io/config.source'], 'file');
    const uid = pods[0]!.metadata.uid;
    assert.equal(src.scan().length, 2);
    assert.equal(seen.length, 1, 'no change, no report');
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: j}]}\n');
    assert.notEqual(src.scan()[0]!.metadata.uid, uid);
    assert.equal(seen.length, 2);
    const m = mirrorPodFor(pods[0]!, { name: 'n1', uid: 'node-uid' });
    assert.equal(m.metadata.uid, undefined);
    assert.equal(m.metadata.annotations![MIRROR_ANNOTATION], uid);
    assert.deepEqual(m.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'node-uid', controller: true }]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
