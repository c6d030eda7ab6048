// Test harness: an in-process API server on a free port with a private data
// dir, plus a client and informer factory for controllers under test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { KubeClient } from '../client/client.js';
import { SharedInformerFactory } from '../client/informer-factory.js';
import type { ControllerContext, ControllerOptions } from '../controllers/types.js';
import { realClock } from '../util/clock.js';
import { silentLogger } from '../util/log.js';
import { scaled } from './time-scale.js';

export interface TestControlPlane {
  server: RunningApiServer;
  client: KubeClient;
  dataDir: string;
  /** A fresh informer factory and context for a controller under test. */
  controllerContext(options?: ControllerOptions): ControllerContext;
  stop(): Promise<void>;
}

export async function startTestControlPlane(opts: { datastore?: 'sqlite' | 'memory'; defaultTolerationSeconds?: number } = {}): Promise<TestControlPlane> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubets-cp-'));
  const server = await startApiServer({ dataDir, port: 0, datastore: opts.datastore ?? 'sqlite', logger: silentLogger, defaultTolerationSeconds: opts.defaultTolerationSeconds });
  const client = KubeClient.fromKubeconfig(server.kubeconfigPath, { component: 'test', timeoutMs: scaled(30_000) });
  const factories: SharedInformerFactory[] = [];
  return {
    server,
    client,
    dataDir,
    controllerContext(options = {}) {
      const informers = new SharedInformerFactory(client);
      factories.push(informers);
      return { client, informers, clock: realClock, logger: silentLogger, options };
    },
    async stop() {
      for (const f of factories) f.shutdown();
      client.close();
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
