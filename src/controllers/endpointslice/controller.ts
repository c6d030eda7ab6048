// The EndpointSlice controller: for every selector-bearing Service, keeps
// EndpointSlices (at most 100 endpoints each) listing the pods it selects,
// owned by the Service and labelled with its name and our manager's name.
import { deepEqualJSON, type OwnerReference } from '../../api/meta.js';
import { isNotFound } from '../../client/errors.js';
import { deletedObject } from '../../client/informer.js';
import { RESOURCES } from '../../client/resources.js';
import { NAMESPACE_INDEX } from '../../client/store.js';
import type { EndpointSlice, Node, Pod, Service } from '../../client/types.js';
import { RateLimitingQueue } from '../../client/work-queue.js';
import { isHeadless, serviceSelector } from '../endpoints/pod-endpoint-rules.js';
import { enqueueServicesAndPods } from '../endpoints/service-keys.js';
import { HEADLESS_LABEL } from '../endpoints/controller.js';
import { runKeyedController } from '../keyed-controller.js';
import type { Controller, ControllerContext, ControllerFactory } from '../types.js';
import { planSlices, type SliceContent } from './plan-slices.js';
import { desiredEndpointGroups } from './slice-endpoints.js';
import { SliceTracker } from './slice-tracker.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';
/** Informer index: `namespace/service` of the slices this controller manages. */
export const SLICE_SERVICE_INDEX = 'endpointslice-controller/service';

const sliceServiceKey = (s: EndpointSlice): string[] => {
  const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
  return svc && s.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY ? [`${s.metadata.namespace}/${svc}`] : [];
};

export function sliceLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = { ...svc.metadata.labels };
  delete labels[HEADLESS_LABEL];
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
  labels[SERVICE_NAME_LABEL] = svc.metadata.name!;
  labels[MANAGED_BY_LABEL] = MANAGED_BY;
  return labels;
}

export function serviceOwnerRef(svc: Service): OwnerReference {
  return { apiVersion: 'v1', kind: 'Service', name: svc.metadata.name!, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

export const endpointSliceController: ControllerFactory = (ctx: ControllerContext): Controller => {
  const name = 'endpointslice';
  const services = ctx.informers.informer<Service>(RESOURCES.services);
  const pods = ctx.informers.informer<Pod>(RESOURCES.pods);
  const nodes = ctx.informers.informer<Node>(RESOURCES.nodes);
  const slices = ctx.informers.informer<EndpointSlice>(RESOURCES.endpointslices);
  if (!slices.store.hasIndexer(SLICE_SERVICE_INDEX)) slices.addIndexer(SLICE_SERVICE_INDEX, sliceServiceKey);
  const client = ctx.client.endpointslices;
  const queue = new RateLimitingQueue<string>({ clock: ctx.clock });
  const tracker = new SliceTracker();

  async function deleteSlice(svcKey: string, s: EndpointSlice): Promise<void> {
    try {
      await client.delete(s.metadata.namespace, s.metadata.name!);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    tracker.deleted(svcKey, s.metadata.name!);
  }

  async function reconcile(key: string): Promise<void> {
    const existing = slices.store.byIndex(SLICE_SERVICE_INDEX, key);
    // Our own last writes are not in the cache yet: their events will requeue the key.
    if (!tracker.upToDate(key, existing)) return;
    const svc = services.store.get(key);
    if (!svc || !serviceSelector(svc)) {
      // Deleted services' slices also go through their ownerReference; ExternalName (or
      // selector-less) services have none of ours.
      if (svc && !svc.spec?.selector && svc.spec?.type !== 'ExternalName') return;
      for (const s of existing) await deleteSlice(key, s);
      if (!svc) tracker.forget(key);
      return;
    }
    const desired = desiredEndpointGroups(svc, pods.store.byIndex(NAMESPACE_INDEX, svc.metadata.namespace!), (n) => nodes.store.get(n));
    const labels = sliceLabels(svc);
    const owner = serviceOwnerRef(svc);
    const labelsOk = (s: EndpointSlice) =>
      deepEqualJSON(s.metadata.labels ?? {}, labels) && (s.metadata.ownerReferences ?? []).some((r) => r.uid === owner.uid && r.controller === true);
    const plan = planSlices(existing, desired, labelsOk);
    const body = (content: SliceContent) => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      addressType: 'IPv4',
      endpoints: content.endpoints,
      ports: content.ports,
    });
    // Deletes first, then updates, then creates: the total never overshoots by much.
    for (const s of plan.delete) await deleteSlice(key, s);
    for (const { slice, content } of plan.update) {
      const ownerRefs = (slice.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.uid);
      const updated = await client.update({ ...body(content), metadata: { ...slice.metadata, labels, ownerReferences: [...ownerRefs, owner] } });
      tracker.written(key, updated);
    }
    for (const content of plan.create) {
      const created = await client.create(svc.metadata.namespace, {
        ...body(content),
        metadata: { generateName: `${svc.metadata.name}-`, namespace: svc.metadata.namespace, labels, ownerReferences: [owner] },
      });
      tracker.written(key, created);
    }
  }

  const enqueueSlice = (s: EndpointSlice) => {
    for (const k of sliceServiceKey(s)) queue.add(k);
  };

  return {
    name,
    async run(signal) {
      const regs = [
        ...enqueueServicesAndPods(services, pods, queue),
        slices.addEventHandler({
          onAdd: enqueueSlice,
          onUpdate: (_o, s) => enqueueSlice(s),
          onDelete: (s) => enqueueSlice(deletedObject(s)),
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
