// Every controller the controller manager can run, by the name used in
// `--controllers`, and the selection rules of that flag.
import { replicaSetController } from './replicaset/index.js';
import { deploymentController } from './deployment/index.js';
import { garbageCollectorController } from './garbagecollector/index.js';
import { namespaceController } from './namespace/index.js';
import { statefulSetController } from './statefulset/index.js';
import { daemonSetController } from './daemonset/index.js';
import { jobController } from './job/index.js';
import { cronJobController } from './cronjob/index.js';
import { ttlAfterFinishedController } from './ttlafterfinished/index.js';
import { endpointsController } from './endpoints/index.js';
import { endpointSliceController } from './endpointslice/index.js';
import { nodeIpamController } from './nodeipam/index.js';
import { nodeLifecycleController } from './nodelifecycle/index.js';
import { podGcController } from './podgc/index.js';
import { resourceQuotaController } from './resourcequota/index.js';
import { localPathController } from './localpath/index.js';
import { rootCaCertPublisher } from './rootcacert/index.js';
import { serviceLbController } from './servicelb/index.js';
import type { ControllerFactory } from './types.js';

export const CONTROLLERS: Readonly<Record<string, ControllerFactory>> = Object.freeze({
  endpoints: endpointsController,
  endpointslice: endpointSliceController,
  nodeipam: nodeIpamController,
  nodelifecycle: nodeLifecycleController,
  podgc: podGcController,
  resourcequota: resourceQuotaController,
  replicaset: replicaSetController,
  deployment: deploymentController,
  garbagecollector: garbageCollectorController,
  namespace: namespaceController,
  statefulset: statefulSetController,
  daemonset: daemonSetController,
  job: jobController,
  cronjob: cronJobController,
  ttlafterfinished: ttlAfterFinishedController,
  'root-ca-cert-publisher': rootCaCertPublisher,
  'local-path-provisioner': localPathController,
  servicelb: serviceLbController,
});

/** Controllers `*` does not include; they run only when named. */
export const DISABLED_BY_DEFAULT: ReadonlySet<string> = new Set<string>();

export class UnknownControllerError extends Error {
  override name = 'UnknownControllerError';
}

/**
 * Resolves `--controllers` as upstream does: `*` means every controller
 * enabled by default, `name` adds one, `-name` removes one. The default is `*`.
 */
export function selectControllers(spec: readonly string[] = ['*'], registry: Readonly<Record<string, unknown>> = CONTROLLERS, disabledByDefault: ReadonlySet<string> = DISABLED_BY_DEFAULT): string[] {
  const known = Object.keys(registry);
  const items = spec.map((s) => s.trim()).filter(Boolean);
  for (const item of items) {
    const n = item.startsWith('-') ? item.slice(1) : item;
    if (n !== '*' && !known.includes(n)) throw new UnknownControllerError(`"${n}" is not in the list of known controllers: ${known.join(', ')}`);
  }
  const star = items.includes('*');
  return known.filter((n) => {
    if (items.includes(`-${n}`)) return false;
    if (items.includes(n)) return true;
    return star && !disabledByDefault.has(n);
  });
}
