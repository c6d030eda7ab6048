import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { writeKubeconfig } from './kubeconfig.js';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';
const run = promisify(execFile);

describe('writeKubeconfig', () => {
  let dir: string;
  let path: string;
  const opts = { server: 'https://127.0.0.1:6443', caPem: 'CA PEM\n', clientCertPem: 'CERT PEM\n', clientKeyPem: 'KEY PEM\n' };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubets-kubeconfig-'));
    path = join(dir, 'kubeconfig.yaml');
    await writeKubeconfig(path, opts);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('writes a private file with cluster, user and context named default', async () => {
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const doc = parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    assert.equal(doc['current-context'], 'default');
    assert.deepEqual(doc.contexts, [{ name: 'default', context: { cluster: 'default', user: 'default' } }]);
    const [cluster] = doc.clusters as { name: string; cluster: Record<string, string> }[];
    assert.equal(cluster?.name, 'default');
    assert.equal(Buffer.from(cluster?.cluster['certificate-authority-data'] ?? '', 'base64').toString(), 'CA PEM\n');
  });

  it('is what kubectl config view shows', async () => {
    const { stdout } = await run(KUBECTL, ['config', 'view', '--raw', '-o', 'json', '--kubeconfig', path]);
    const view = JSON.parse(stdout) as {
      'current-context': string;
      clusters: { name: string; cluster: { server: string } }[];
      users: { name: string; user: Record<string, string> }[];
    };
    assert.equal(view['current-context'], 'default');
    assert.equal(view.clusters[0]?.cluster.server, opts.server);
    assert.equal(view.users[0]?.name, 'default');
    assert.equal(Buffer.from(view.users[0]?.user['client-key-data'] ?? '', 'base64').toString(), 'KEY PEM\n');
  });

  it('honours custom names', async () => {
    const p = join(dir, 'custom.yaml');
    await writeKubeconfig(p, { ...opts, user: 'u', cluster: 'c', context: 'x' });
    const doc = parse(await readFile(p, 'utf8')) as Record<string, unknown>;
    assert.equal(doc['current-context'], 'x');
    assert.deepEqual(doc.contexts, [{ name: 'x', context: { cluster: 'c', user: 'u' } }]);
  });
});
