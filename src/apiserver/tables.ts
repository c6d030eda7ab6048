// Server-side tables for `kubectl get`: the built-in printers, or a CRD
// version's additionalPrinterColumns.
import { crdVersionInfo } from './crd/crd-info.js';
import { buildTable, printerFor, type IncludeObject } from './printers/index.js';
import type { ResourceInfo } from './registry/resource-info.js';
import type { TableConvertor } from './rest/context.js';

export const tableConvertor: TableConvertor = {
  toTable(r: ResourceInfo, objects, opts) {
    const version = String(objects[0]?.apiVersion ?? r.version).split('/').pop()!;
    const printer = r.crd ? crdVersionInfo(r, version)?.printer ?? printerFor(r.group, r.resource) : printerFor(r.group, r.resource);
    return buildTable(printer, objects, {
      now: opts.now,
      includeObject: (['None', 'Object', 'Metadata'].includes(opts.includeObject) ? opts.includeObject : 'Metadata') as IncludeObject,
      resourceVersion: opts.resourceVersion,
      continue: opts.continue,
    });
  },
};
