// Server-side tables for `kubectl get`: the built-in printers, or a CRD's
// additionalPrinterColumns.
import { buildTable, printerFor, printerFromAdditionalPrinterColumns, type IncludeObject, type TablePrinter } from './printers/index.js';
import type { ResourceInfo } from './registry/resource-info.js';
import type { TableConvertor } from './rest/context.js';

/** CRDs record their printer here when they are registered. */
export interface CrdPrinterSource {
  printer?: TablePrinter;
}

export const tableConvertor: TableConvertor = {
  toTable(r: ResourceInfo, objects, opts) {
    const crd = r.crd as CrdPrinterSource | undefined;
    const printer = crd?.printer ?? printerFor(r.group, r.resource);
    return buildTable(printer, objects, {
      now: opts.now,
      includeObject: (['None', 'Object', 'Metadata'].includes(opts.includeObject) ? opts.includeObject : 'Metadata') as IncludeObject,
      resourceVersion: opts.resourceVersion,
      continue: opts.continue,
    });
  },
};

export { printerFromAdditionalPrinterColumns };
