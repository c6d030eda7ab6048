// The Lease every node renews in kube-node-lease: its heartbeat (upstream's
// NodeLease), shared by the real kubelet and the simulated ones.
import type { Lease } from '../client/types.js';
import { rfc3339Micro } from './time.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** Upstream kubelet's lease duration (renewed every quarter of it). */
export const NODE_LEASE_DURATION_SECONDS = 40;

export function buildLease(nodeName: string, nodeUid: string | undefined, now: number): Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: nodeName,
      namespace: NODE_LEASE_NAMESPACE,
      ...(nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUid }] } : {}),
    },
    spec: { holderIdentity: nodeName, leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS, renewTime: rfc3339Micro(now) },
  };
}
