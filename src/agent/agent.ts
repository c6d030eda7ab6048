// The node agent: everything `kubets agent` runs on a node. A private
// containerd (or an existing CRI runtime), the pod network's CNI config, the
// kubelet (pods through the CRI), its HTTPS API, and node registration with
// its heartbeat. Every part talks to the control plane through the API only.
import fs from 'node:fs';
import path from 'node:path';
import { KubeClient } from '../client/client.js';
import type { ClientConfig } from '../client/kubeconfig.js';
import { CriClient } from '../cri/grpc-client.js';
import { Kubelet } from '../kubelet/kubelet.js';
import { detectCgroupLayout, PodCgroupManager } from '../kubelet/cgroups.js';
import { clientObjectSource, type ServiceObject } from '../kubelet/object-source.js';
import { SharedInformerFactory } from '../client/informer-factory.js';
import { RESOURCES } from '../client/resources.js';
import { NAMESPACE_INDEX } from '../client/store.js';
import { PodRuntimeConfigBuilder } from '../kubelet/runtime-config.js';
import { NodeVolumeManager, shellMounter } from '../kubelet/volumes/index.js';
import { ShellRunner } from '../util/shell-runner.js';
import { readMachineFacts, readMachineUsage } from '../kubelet/node/machine.js';
import { NodeReporter } from '../kubelet/node/node-reporter.js';
import { ensureKubeletServingCert, startKubeletServer, type KubeletServer } from '../kubelet/server/index.js';
import { runtimePodSource } from '../kubelet/server-pods.js';
import { realClock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { BUILT_IMAGES_DIR } from './images/builtin.js';
import { NodeRuntime } from './node-runtime.js';
import { chooseOciRuntime } from './oci-runtime.js';
import { AGENT_ADDONS, type AgentSettings } from './options.js';
import { startProxy } from '../proxy/start.js';
import { startClusterDns } from '../dns/server.js';
import { ensureDnsSlice } from '../dns/addon.js';
import { startIngressController } from '../ingress/controller.js';
import { unmountUnder } from './mounts.js';
import { stopStaleContainerds } from './stale-containerd.js';
import { installUnreachableRoutes } from '../network/node-routes.js';
import { startHostGw } from '../network/hostgw.js';

export interface AgentOptions extends AgentSettings {
  client: ClientConfig;
  /** The cluster CA (PEM): the kubelet API accepts client certificates it signed. */
  caPem: string;
  log: Logger;
}

export interface RunningAgent {
  nodeName: string;
  kubelet: Kubelet;
  kubeletPort: number;
  stop(): Promise<void>;
}

export async function startAgent(o: AgentOptions): Promise<RunningAgent> {
  const log = o.log.child({ component: 'agent', node: o.nodeName });
  const agentDir = path.join(o.dataDir, 'agent');
  const podsDir = path.join(agentDir, 'pods');
  const logRoot = path.join(agentDir, 'logs');
  fs.mkdirSync(podsDir, { recursive: true });
  fs.mkdirSync(logRoot, { recursive: true });
  const stops: (() => Promise<void> | void)[] = [];
  let podCgroups: PodCgroupManager | undefined;
  const stopAll = async () => {
    for (const s of stops.reverse()) await Promise.resolve(s()).catch((err: unknown) => log.warn('agent stop step failed', { err: String(err) }));
  };

  // Runs last: whatever pod volumes (tmpfs, bind mounts) are still mounted once the pods are gone.
  stops.push(async () => {
    const left = await unmountUnder(podsDir);
    if (left.length) log.warn('pod volume mounts left behind', { left });
  });
  try {
    // The container runtime: a private containerd with the built and DIR/images archives, or an existing CRI runtime.
    let node: NodeRuntime | undefined;
    let cri: CriClient;
    if (o.runtimeEndpoint) {
      cri = new CriClient(o.runtimeEndpoint.replace(/^unix:\/\//, ''));
      stops.push(() => cri.close());
    } else {
      const oci = await chooseOciRuntime(o.ociRuntime ?? 'auto', { log });
      log.info('OCI runtime', { runtime: oci.name, binary: oci.binary });
      node = new NodeRuntime({
        agentDir,
        runtimeBinary: oci.binary,
        imageDirs: [BUILT_IMAGES_DIR, path.join(o.dataDir, 'images')].filter((d) => fs.existsSync(d)),
        registries: o.insecureRegistries.map((host) => ({ host, insecureHttp: true })),
        log,
      });
      const replaced = await stopStaleContainerds(node.supervisor.layout.configFile);
      if (replaced.length) log.info('replaced the containerd of a previous agent run; its containers keep running', { pids: replaced });
      await node.start();
      // A clean stop ends containerd and the pods; a killed agent leaves the pods running for the next one to adopt.
      // The pods' own cgroups (runc and crun remove only the containers') go after them.
      stops.push(() => podCgroups?.removeIdle());
      stops.push(() => node!.stop());
      cri = node.cri;
    }
    const supervisor = node?.supervisor;
    const version = await cri.version();
    const runtimeVersion = `${version.runtime_name}://${version.runtime_version}`;

    // Registration and heartbeat.
    const client = KubeClient.fromConfig(o.client, { component: 'kubelet' });
    stops.push(() => client.close());
    const facts = readMachineFacts(agentDir);
    let networkReady = !supervisor; // an external runtime brings its own network
    const reporter = new NodeReporter({
      client,
      nodeName: o.nodeName,
      nodeIP: o.nodeIP,
      kubeletPort: o.kubeletPort,
      maxPods: o.maxPods,
      facts,
      usage: () => readMachineUsage(agentDir),
      health: () => ({ runtimeReady: supervisor ? supervisor.pid !== undefined : true, networkReady }),
      runtimeVersion: () => runtimeVersion,
      images: async () => (await cri.listImages()).slice(0, 50).map((i) => ({ names: [...i.repo_tags, ...i.repo_digests], sizeBytes: Number(i.size) })),
      clock: realClock,
      log,
    });
    await reporter.register();
    reporter.start();
    stops.push(() => reporter.stop());

    // The pod network on this node: a bridge on the node's podCIDR.
    await installUnreachableRoutes([o.clusterCIDR, o.serviceCIDR], log);
    if (node) {
      const podCIDR = await reporter.waitForPodCIDR();
      const hostGw = (o.podNetwork ?? 'host-gw') === 'host-gw';
      node.setPodCIDR(podCIDR, { ipMasq: !hostGw });
      if (hostGw) {
        // Other nodes' pods via their node addresses; masquerade for traffic leaving the cluster CIDR.
        const gw = await startHostGw({ client, nodeName: o.nodeName, clusterCIDR: o.clusterCIDR, log });
        stops.push(() => gw.stop());
      }
      networkReady = true;
      log.info('pod network configured', { podCIDR });
      await reporter.postStatus(true);
    }

    // The kubelet.
    const allocatable = () => reporter.current?.status?.allocatable ?? {};
    // Service-link env vars read Services from a watch cache, not a LIST per container start.
    const informers = new SharedInformerFactory(client);
    const services = informers.informer(RESOURCES.services);
    informers.start();
    stops.push(() => informers.shutdown());
    await informers.waitForCacheSync();
    const objects = clientObjectSource(client, { services: (ns) => services.store.byIndex(NAMESPACE_INDEX, ns) as unknown as ServiceObject[] });
    const cgroups = new PodCgroupManager(await detectCgroupLayout(), o.cgroupRoot ?? '/kubepods');
    podCgroups = cgroups;
    const mountHelper = new ShellRunner();
    stops.push(() => mountHelper.close());
    const volumes = new NodeVolumeManager({ podsDir, objects, nodeName: o.nodeName, nodeAllocatable: allocatable, log, mounter: shellMounter(mountHelper) });
    const config = new PodRuntimeConfigBuilder({ podsDir, logRoot, objects, nodeAllocatable: allocatable, cgroups, clusterDNS: [o.clusterDNS], clusterDomain: o.clusterDomain });
    const kubelet = new Kubelet({
      client,
      nodeName: o.nodeName,
      runtime: cri,
      images: cri,
      volumes,
      config,
      hostIPs: [o.nodeIP],
      log,
      staticPodDir: path.join(o.dataDir, 'manifests'),
      runtimeName: version.runtime_name,
    });
    await kubelet.start();
    stops.push(() => kubelet.stop());

    // The kubelet API (logs, exec, attach, port-forward, stats).
    const serving = await ensureKubeletServingCert(path.join(agentDir, 'pki'), { nodeName: o.nodeName, ips: [o.nodeIP] });
    const server: KubeletServer = await startKubeletServer({
      port: o.kubeletPort,
      host: o.nodeIP,
      certPem: serving.certPem,
      keyPem: serving.keyPem,
      clientCaPem: o.caPem,
      runtime: cri,
      // The kubelet's own pods, not the API's: no round trip per request, and a
      // static pod is found by its own UID (its mirror in the API has another).
      pods: runtimePodSource(cri, {
        list: async () => kubelet.runningPods(),
        get: async (ns, name) => kubelet.runningPods().find((p) => p.metadata.namespace === ns && p.metadata.name === name) ?? null,
      }),
      nodeName: o.nodeName,
      logger: log,
    });
    stops.push(() => server.close());

    // Node add-ons: kube-proxy, node-local cluster DNS (behind the kube-dns Service), the ingress controller.
    const disabled = new Set(o.disable ?? []);
    if (!disabled.has('proxy')) {
      const proxy = await startProxy({ client, nodeName: o.nodeName, clusterCIDR: o.clusterCIDR, serviceCIDR: o.serviceCIDR, nodeIP: o.nodeIP, informers, log });
      stops.push(() => proxy.stop());
    }
    if (!disabled.has('dns')) {
      const dns = await startClusterDns({ client, listen: [{ host: o.nodeIP, port: 53 }], clusterDomain: o.clusterDomain, informers, log });
      stops.push(() => dns.close());
      await ensureDnsSlice(client, o.nodeIP, { nodeName: o.nodeName });
    }
    if (!disabled.has('ingress')) {
      const ingress = await startIngressController({
        client,
        httpPort: o.ingressHttpPort ?? 80,
        httpsPort: o.ingressHttpsPort ?? 443,
        host: o.nodeIP,
        addresses: [o.nodeIP],
        publishNodeAddresses: true,
        informers,
        log,
      });
      stops.push(() => ingress.close());
    }
    log.info('node agent running', { nodeIP: o.nodeIP, kubeletPort: server.port, runtime: runtimeVersion, addons: AGENT_ADDONS.filter((a) => !disabled.has(a)) });
    return { nodeName: o.nodeName, kubelet, kubeletPort: server.port, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
