// Server-side tables: the default convertor (Name, Created At) used for
// resources without a dedicated printer.
import type { KubeObject } from '../api/meta.js';
import type { ResourceInfo } from './registry/resource-info.js';
import type { TableConvertor } from './rest/context.js';

function rowObject(obj: KubeObject, includeObject: string): unknown {
  if (includeObject === 'None') return undefined;
  if (includeObject === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export const defaultTables: TableConvertor = {
  toTable(_r: ResourceInfo, objects: KubeObject[], opts) {
    const metadata: Record<string, unknown> = { resourceVersion: opts.resourceVersion };
    if (opts.continue) metadata.continue = opts.continue;
    return {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata,
      columnDefinitions: [
        { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
        { name: 'Created At', type: 'date', format: '', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0 },
      ],
      rows: objects.map((o) => ({ cells: [o.metadata.name, o.metadata.creationTimestamp], object: rowObject(o, opts.includeObject) })),
    };
  },
};
