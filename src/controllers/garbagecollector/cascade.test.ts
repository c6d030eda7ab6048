// kubectl delete of a Deployment with each cascade mode, with the Deployment,
// ReplicaSet and garbage collector controllers running together.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import { autoReadyPods } from '../../testing/pod-readiness.js';
import { waitFor } from '../../testing/wait-for.js';
import { runKubectl } from '../../testing/server-process.js';
import { deploymentController } from '../deployment/controller.js';
import { replicaSetController } from '../replicaset/controller.js';
import { garbageCollectorController } from './controller.js';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';
const NS = 'cascade';

describe('kubectl delete --cascade', () => {
  let cp: TestControlPlane;
  const abort = new AbortController();
  const running: Promise<void>[] = [];
  let stopReady: () => void;
  const kubectl = async (...args: string[]) => {
    const r = await runKubectl(KUBECTL, ['--kubeconfig', cp.server.kubeconfigPath, '-n', NS, ...args], { timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
    return r.stdout;
  };
  const count = async (kind: string, app: string) => (await kubectl('get', kind, '-l', `app=${app}`, '-o', 'name')).trim().split('\n').filter(Boolean).length;

  before(async () => {
    cp = await startTestControlPlane({ datastore: 'memory' });
    await cp.client.namespaces.create(undefined, { metadata: { name: NS } });
    const ctx = cp.controllerContext();
    stopReady = autoReadyPods(cp.client, ctx.informers);
    for (const f of [replicaSetController, deploymentController, garbageCollectorController]) running.push(f(ctx).run(abort.signal));
  });
  after(async () => {
    stopReady();
    abort.abort();
    await Promise.all(running);
    await cp.stop();
  });

  for (const cascade of ['background', 'foreground'] as const) {
    it(`${cascade}: the ReplicaSet and pods go with the Deployment`, async () => {
      const app = `d-${cascade}`;
      await kubectl('create', 'deployment', app, '--image=nginx', '--replicas=2');
      await kubectl('rollout', 'status', `deployment/${app}`, '--timeout=20s');
      assert.equal(await count('pods', app), 2);
      await kubectl('delete', 'deployment', app, `--cascade=${cascade}`, '--timeout=20s');
      await waitFor(async () => (await count('rs', app)) === 0 && (await count('pods', app)) === 0, 15_000, 'dependents deleted');
    });
  }

  it('orphan: the ReplicaSet and its pods stay, without a reference to the Deployment', async () => {
    const app = 'd-orphan';
    await kubectl('create', 'deployment', app, '--image=nginx', '--replicas=2');
    await kubectl('rollout', 'status', `deployment/${app}`, '--timeout=20s');
    await kubectl('delete', 'deployment', app, '--cascade=orphan', '--timeout=20s');
    await waitFor(async () => (await kubectl('get', 'rs', '-l', `app=${app}`, '-o', 'jsonpath={.items[0].metadata.ownerReferences}')) === '', 15_000, 'reference removed');
    assert.equal(await count('pods', app), 2);
    assert.equal(await count('deployments', app), 0);
  });
});
