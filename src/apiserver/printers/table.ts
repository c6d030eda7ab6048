// Assembles the meta.k8s.io Table a `kubectl get` receives, with each row's
// object embedded as PartialObjectMetadata (the default), in full, or not at all.

import { isObj } from './access.js';
import type { IncludeObject, Table, TableListMeta, TablePrinter, TableRow } from './types.js';

export interface BuildTableOptions {
  now: Date;
  includeObject: IncludeObject;
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
  /** Table API version; kubectl asks for v1 first, v1beta1 as a fallback. */
  version?: 'v1' | 'v1beta1';
}

export function buildTable(printer: TablePrinter, objects: Record<string, unknown>[], opts: BuildTableOptions): Table {
  const apiVersion = `meta.k8s.io/${opts.version ?? 'v1'}`;
  const metadata: TableListMeta = {};
  if (opts.resourceVersion !== undefined) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue !== undefined && opts.continue !== '') metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;

  const rows = objects.map((o): TableRow => {
    const row: TableRow = { cells: printer.cells(o, opts.now) };
    const conditions = printer.conditions?.(o);
    if (conditions) row.conditions = conditions;
    switch (opts.includeObject) {
      case 'Object':
        row.object = o;
        break;
      case 'Metadata':
        row.object = {
          kind: 'PartialObjectMetadata',
          apiVersion,
          metadata: isObj(o.metadata) ? o.metadata : {},
        };
        break;
      case 'None':
        break;
    }
    return row;
  });

  return {
    kind: 'Table',
    apiVersion,
    metadata,
    columnDefinitions: printer.columns.map((c) => ({ ...c })),
    rows,
  };
}
