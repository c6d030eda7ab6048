// The generic table for resources without a dedicated printer (roles,
// cluster roles, limit ranges, CRDs, ...): NAME and CREATED AT, the latter
// an absolute RFC 3339 UTC timestamp as upstream's default convertor prints.

import { get } from './access.js';
import { col, nameCol } from './columns.js';
import { parseTime } from './duration.js';
import { nameOf } from './meta.js';
import type { TablePrinter } from './types.js';

const ZERO_TIME = '0001-01-01T00:00:00Z';

export const defaultPrinter: TablePrinter = {
  columns: [nameCol(), col('Created At', 'date', 'Time the object was created.')],
  cells(o) {
    const t = parseTime(get(o, 'metadata', 'creationTimestamp'));
    return [nameOf(o), t ? t.toISOString().replace(/\.\d{3}Z$/, 'Z') : ZERO_TIME];
  },
};
