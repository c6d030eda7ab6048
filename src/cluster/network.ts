// Builds and removes a cluster's namespaces: the switch namespace with the
// bridge, and each node's namespace with its end of a veth pair. Nothing is
// created in the host namespace; veths are made with both ends already in
// cluster namespaces.
import { runCommand } from '../agent/run-command.js';
import { allNetns, BRIDGE, NODE_IFACE, NODE_SUBNET_BITS, type ClusterNode, type ClusterTopology } from './topology.js';

const ip = (args: string[]) => runCommand('ip', args);
const inNs = (ns: string, cmd: string, args: string[]) => runCommand('nsenter', [`--net=/run/netns/${ns}`, cmd, ...args]);

export async function netnsExists(name: string): Promise<boolean> {
  const r = await runCommand('ip', ['netns', 'list']);
  return r.stdout.split('\n').some((l) => l.split(' ')[0] === name);
}

async function addNetns(name: string): Promise<void> {
  await ip(['netns', 'add', name]);
  await ip(['-n', name, 'link', 'set', 'lo', 'up']);
}

export async function createSwitch(t: ClusterTopology): Promise<void> {
  await addNetns(t.switchNetns);
  await ip(['-n', t.switchNetns, 'link', 'add', BRIDGE, 'type', 'bridge']);
  await ip(['-n', t.switchNetns, 'link', 'set', BRIDGE, 'up']);
}

/** The node's namespace, its veth to the switch and its address; forwarding on inside it (it routes pods). */
export async function attachNode(t: ClusterTopology, n: ClusterNode): Promise<void> {
  await addNetns(n.netns);
  await ip(['-n', t.switchNetns, 'link', 'add', n.switchIface, 'type', 'veth', 'peer', 'name', NODE_IFACE, 'netns', n.netns]);
  await ip(['-n', t.switchNetns, 'link', 'set', n.switchIface, 'master', BRIDGE, 'up']);
  await ip(['-n', n.netns, 'addr', 'add', `${n.ip}/${NODE_SUBNET_BITS}`, 'dev', NODE_IFACE]);
  await ip(['-n', n.netns, 'link', 'set', NODE_IFACE, 'up']);
  await inNs(n.netns, 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
}

/** Deletes every namespace of the cluster that still exists (their veths and the bridge go with them). */
export async function removeNetwork(t: ClusterTopology): Promise<string[]> {
  const failed: string[] = [];
  for (const name of allNetns(t)) {
    if (!(await netnsExists(name))) continue;
    const r = await runCommand('ip', ['netns', 'del', name], { allowFailure: true });
    if (r.code !== 0) failed.push(`${name}: ${r.stderr.trim()}`);
  }
  return failed;
}
