// Serves CustomResourceDefinitions: each CRD written to the store becomes a
// served resource at once (discovery, OpenAPI, REST), with its status
// conditions set; a deleted CRD takes its custom resources with it.
import type { KubeObject } from '../../api/meta.js';
import type { Logger } from '../../util/log.js';
import type { Core } from '../core.js';
import { decodeObject, resourcePrefix } from '../registry/storage-codec.js';
import type { ResourceInfo } from '../registry/resource-info.js';
import type { StatusCause } from '../status.js';
import { rfc3339, updateObject } from '../rest/objects.js';
import { crdSpec, resourceInfoFor, type CrdSpec } from './crd-info.js';

const SYSTEM = { username: 'system:apiserver', groups: ['system:masters'] };
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function validateCrd(obj: KubeObject): StatusCause[] {
  const errs: StatusCause[] = [];
  const spec = obj.spec as Partial<CrdSpec> | undefined;
  const req = (field: string) => errs.push({ reason: 'FieldValueRequired', field, message: 'Required value' });
  if (!spec) {
    req('spec');
    return errs;
  }
  if (!spec.group) req('spec.group');
  else if (!spec.group.includes('.')) errs.push({ reason: 'FieldValueInvalid', field: 'spec.group', message: `Invalid value: "${spec.group}": should be a domain with at least one dot` });
  if (!spec.names?.plural) req('spec.names.plural');
  else if (!DNS_LABEL.test(spec.names.plural)) errs.push({ reason: 'FieldValueInvalid', field: 'spec.names.plural', message: `Invalid value: "${spec.names.plural}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'` });
  if (!spec.names?.kind) req('spec.names.kind');
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    errs.push({ reason: 'FieldValueNotSupported', field: 'spec.scope', message: `Unsupported value: "${spec.scope ?? ''}": supported values: "Cluster", "Namespaced"` });
  }
  if (!spec.versions?.length) req('spec.versions');
  else if (spec.versions.filter((v) => v.storage).length !== 1) {
    errs.push({ reason: 'FieldValueInvalid', field: 'spec.versions', message: `Invalid value: ${JSON.stringify(spec.versions.map((v) => v.name))}: must have exactly one version marked as storage version` });
  }
  if (spec.group && spec.names?.plural && obj.metadata.name !== `${spec.names.plural}.${spec.group}`) {
    errs.push({ reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "${obj.metadata.name}": must be spec.names.plural+"."+spec.group` });
  }
  return errs;
}

export class CrdController {
  private served = new Map<string, ResourceInfo>();

  constructor(
    private readonly core: Core,
    private readonly crds: ResourceInfo,
    private readonly logger: Logger,
  ) {}

  /** Serves every CRD already stored. */
  async start(): Promise<void> {
    const list = await this.core.store.list(resourcePrefix(this.crds));
    for (const kv of list.items) await this.serve(decodeObject(kv));
  }

  hook(): Core['afterWrite'][number] {
    return async (op, r, obj) => {
      if (r !== this.crds) return;
      if (op === 'DELETE') return this.unserve(obj);
      await this.serve(obj);
    };
  }

  private async serve(crd: KubeObject): Promise<void> {
    const name = crd.metadata.name!;
    const info = resourceInfoFor(crd);
    const prev = this.served.get(name);
    if (prev && (prev.group !== info.group || prev.resource !== info.resource)) this.core.registry.remove(prev.group, prev.resource);
    this.served.set(name, info);
    this.core.registry.add(info);
    await this.setStatus(crd);
  }

  private async setStatus(crd: KubeObject): Promise<void> {
    const spec = crdSpec(crd);
    const now = rfc3339(this.core.clock.now());
    const status = (crd.status ?? {}) as { conditions?: { type: string; status: string }[] };
    const has = (t: string) => status.conditions?.some((c) => c.type === t && c.status === 'True');
    if (has('Established') && has('NamesAccepted')) return;
    try {
      await updateObject(this.core, this.crds, '', crd.metadata.name!, {
        status: true,
        mutate: (cur) => {
          const c = cur!;
          c.status = {
            conditions: [
              { type: 'NamesAccepted', status: 'True', lastTransitionTime: now, reason: 'NoConflicts', message: 'no conflicts found' },
              { type: 'Established', status: 'True', lastTransitionTime: now, reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
            ],
            acceptedNames: { ...spec.names, listKind: spec.names.listKind ?? `${spec.names.kind}List`, singular: spec.names.singular ?? spec.names.kind.toLowerCase() },
            storedVersions: spec.versions.filter((v) => v.storage).map((v) => v.name),
          };
          delete c.metadata.resourceVersion;
          return c;
        },
      }, { user: SYSTEM });
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
    }
  }

  private async unserve(crd: KubeObject): Promise<void> {
    const info = this.served.get(crd.metadata.name!);
    if (!info) return;
    this.served.delete(crd.metadata.name!);
    this.core.registry.remove(info.group, info.resource);
    this.core.dropCache(info);
    // The custom resources go with their definition.
    const { items } = await this.core.store.list(resourcePrefix(info));
    for (const kv of items) {
      try {
        await this.core.store.delete(kv.key);
      } catch (err) {
        this.logger.warn('cannot delete custom resource', { key: kv.key, err });
      }
    }
  }
}
