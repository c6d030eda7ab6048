// The Endpoints controller: keeps one Endpoints object per selector-bearing
// Service, named like the Service, listing the pods it selects.
import { deepEqualJSON, type KubeObject } from '../../api/meta.js';
import { isNotFound } from '../../client/errors.js';
import { deletedObject } from '../../client/informer.js';
import { RESOURCES } from '../../client/resources.js';
import { NAMESPACE_INDEX, objectKey, splitKey } from '../../client/store.js';
import type { Pod, Service } from '../../client/types.js';
import { RateLimitingQueue } from '../../client/work-queue.js';
import { runKeyedController } from '../keyed-controller.js';
import type { Controller, ControllerContext, ControllerFactory } from '../types.js';
import { isHeadless, serviceSelector } from './pod-endpoint-rules.js';
import { enqueueServicesAndPods } from './service-keys.js';
import { computeSubsets, type EndpointSubset } from './subsets.js';

export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';

interface Endpoints extends KubeObject {
  subsets?: EndpointSubset[];
}

export const endpointsController: ControllerFactory = (ctx: ControllerContext): Controller => {
  const name = 'endpoints';
  const services = ctx.informers.informer<Service>(RESOURCES.services);
  const pods = ctx.informers.informer<Pod>(RESOURCES.pods);
  const endpoints = ctx.informers.informer<Endpoints>(RESOURCES.endpoints);
  const client = ctx.client.resource<Endpoints>(RESOURCES.endpoints);
  const queue = new RateLimitingQueue<string>({ clock: ctx.clock });


  async function reconcile(key: string): Promise<void> {
    const { namespace, name: svcName } = splitKey(key);
    const svc = services.store.get(key);
    if (!svc) {
      try {
        await client.delete(namespace, svcName);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return;
    }
    // Services without selectors have user-managed Endpoints.
    if (!serviceSelector(svc)) return;
    const { subsets, truncated } = computeSubsets(svc, pods.store.byIndex(NAMESPACE_INDEX, namespace));
    const current = endpoints.store.get(key);
    const labels: Record<string, string> = { ...svc.metadata.labels };
    if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
    else delete labels[HEADLESS_LABEL];
    const annotations: Record<string, string> = { ...current?.metadata.annotations };
    if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
    else delete annotations[OVER_CAPACITY_ANNOTATION];
    if (
      current &&
      deepEqualJSON(current.subsets ?? [], subsets) &&
      deepEqualJSON(current.metadata.labels ?? {}, labels) &&
      deepEqualJSON(current.metadata.annotations ?? {}, annotations)
    ) {
      return;
    }
    const metadata = { ...current?.metadata, name: svcName, namespace, labels, annotations };
    if (Object.keys(annotations).length === 0) delete (metadata as { annotations?: unknown }).annotations;
    const body: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata, subsets };
    if (current) await client.update(body);
    else await client.create(namespace, body);
  }

  return {
    name,
    async run(signal) {
      const regs = [
        ...enqueueServicesAndPods(services, pods, queue),
        endpoints.addEventHandler({
          // Someone removed an Endpoints we maintain: put it back.
          onDelete: (e) => {
            const key = objectKey(deletedObject(e));
            if (services.store.get(key)) queue.add(key);
          },
        }),
      ];
      try {
        await runKeyedController({ ctx, name, queue, reconcile }, signal);
      } finally {
        for (const r of regs) r.remove();
      }
    },
  };
};
