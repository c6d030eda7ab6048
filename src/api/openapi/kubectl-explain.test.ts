// Drives the real kubectl against a test server serving our OpenAPI documents.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { scaled } from '../../testing/time-scale.js';
import type { ResourceInfo } from './schema-types.js';
import { startExplainServer, type ExplainServer } from './testdata/explain-server.js';

const KUBECTL = (minor: number): string => `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;
const RESOURCES: ResourceInfo[] = [
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, subresources: ['status'] },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true, subresources: ['status', 'scale'] },
];

let server: ExplainServer;
before(async () => {
  server = await startExplainServer(RESOURCES);
});
after(async () => {
  await server.close();
});

async function kubectl(minor: number, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(KUBECTL(minor), ['--kubeconfig', server.kubeconfig, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: `${server.kubeconfig}.home` },
    timeout: scaled(20_000),
  });
  return stdout;
}

test('kubectl 1.33 explain pod.spec.containers prints fields and descriptions (OpenAPI v3)', async () => {
  const out = await kubectl(33, 'explain', 'pod.spec.containers');
  assert.match(out, /KIND:\s+Pod/);
  assert.match(out, /FIELD: containers <\[\]Container>/);
  assert.match(out, /name\t<string> -required-/);
  assert.match(out, /image\t<string>\n\s+Container image name/);
  assert.ok(server.requests.some((p) => p === '/openapi/v3/api/v1'));
});

test('kubectl 1.33 explain deployment.spec.strategy --recursive', async () => {
  const out = await kubectl(33, 'explain', 'deployment.spec.strategy', '--recursive');
  assert.match(out, /GROUP:\s+apps/);
  assert.match(out, /rollingUpdate\t<RollingUpdateDeployment>\n\s+maxSurge\t</);
  assert.match(out, /type\t<string>/);
});

test('kubectl 1.27 explain deployment.spec.strategy --recursive (OpenAPI v2 protobuf first)', async () => {
  const out = await kubectl(27, 'explain', 'deployment.spec.strategy', '--recursive');
  assert.match(out, /FIELD: strategy <DeploymentStrategy>/);
  assert.match(out, /rollingUpdate\t<RollingUpdateDeployment>\n\s+maxSurge\t<string>\n\s+maxUnavailable\t<string>/);
  assert.ok(server.requests.includes('/openapi/v2'));
});

test('kubectl create -f hands validation to the server (fieldValidation=Strict) after reading OpenAPI', async () => {
  const manifest = join(dirname(server.kubeconfig), 'deploy.json');
  writeFileSync(
    manifest,
    JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'a' }] } } } }),
  );
  // The test server has no write paths: the POST gets a 404, which is fine here.
  await assert.rejects(kubectl(33, 'create', '-f', manifest));
  assert.ok(
    server.log.some((l) => l.startsWith('POST /apis/apps/v1/namespaces/default/deployments?') && l.includes('fieldValidation=Strict')),
    server.log.join('\n'),
  );
});
