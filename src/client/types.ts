// Convenience shapes for the objects controllers read most. Loose on purpose:
// only commonly used fields are typed; everything else passes through.
import type { KubeObject, ObjectMeta } from '../api/meta.js';
import type { LabelSelectorObject } from '../api/labels.js';

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface ObjectList<T extends KubeObject = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: ListMeta;
  items: T[];
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string | null;
  lastHeartbeatTime?: string;
  lastUpdateTime?: string;
}

export interface Container {
  name: string;
  image?: string;
  [k: string]: unknown;
}

export interface PodTemplateSpec {
  metadata?: ObjectMeta;
  spec?: PodSpec;
}

export interface PodSpec {
  nodeName?: string;
  schedulerName?: string;
  containers: Container[];
  initContainers?: Container[];
  nodeSelector?: Record<string, string>;
  restartPolicy?: string;
  [k: string]: unknown;
}

export interface Pod extends KubeObject {
  spec?: PodSpec;
  status?: { phase?: string; conditions?: Condition[]; podIP?: string; hostIP?: string; [k: string]: unknown };
}

export interface Node extends KubeObject {
  spec?: { unschedulable?: boolean; podCIDR?: string; taints?: { key: string; value?: string; effect: string }[]; [k: string]: unknown };
  status?: { conditions?: Condition[]; capacity?: Record<string, string>; allocatable?: Record<string, string>; [k: string]: unknown };
}

export interface Deployment extends KubeObject {
  spec?: { replicas?: number; selector: LabelSelectorObject; template: PodTemplateSpec; [k: string]: unknown };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number; updatedReplicas?: number; observedGeneration?: number; conditions?: Condition[]; [k: string]: unknown };
}

export interface ReplicaSet extends KubeObject {
  spec?: { replicas?: number; selector: LabelSelectorObject; template?: PodTemplateSpec; [k: string]: unknown };
  status?: { replicas: number; readyReplicas?: number; availableReplicas?: number; fullyLabeledReplicas?: number; observedGeneration?: number; [k: string]: unknown };
}

export interface Job extends KubeObject {
  spec?: { parallelism?: number; completions?: number; backoffLimit?: number; selector?: LabelSelectorObject; template: PodTemplateSpec; [k: string]: unknown };
  status?: { active?: number; succeeded?: number; failed?: number; startTime?: string; completionTime?: string; conditions?: Condition[]; [k: string]: unknown };
}

export interface Service extends KubeObject {
  spec?: { selector?: Record<string, string>; clusterIP?: string; clusterIPs?: string[]; type?: string; externalName?: string; publishNotReadyAddresses?: boolean; ports?: { name?: string; port: number; targetPort?: number | string; protocol?: string; nodePort?: number }[]; [k: string]: unknown };
}

export interface EndpointSlice extends KubeObject {
  addressType: string;
  endpoints?: { addresses: string[]; hostname?: string; conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean }; nodeName?: string; targetRef?: { kind?: string; name?: string; namespace?: string; uid?: string } }[];
  ports?: { name?: string; port?: number; protocol?: string }[];
}

export interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

/** autoscaling/v1 Scale, the scale subresource's body. */
export interface Scale extends KubeObject {
  spec?: { replicas?: number };
  status?: { replicas: number; selector?: string };
}
