// Tables for custom resources from a CRD version's additionalPrinterColumns,
// the way the apiextensions server builds them: NAME first, then the columns;
// a CRD that declares none gets a single AGE column.

import { nameCol } from './columns.js';
import { timestampSince } from './duration.js';
import { rfc3339 } from '../../api/time.js';
import { compileJsonPath, jsonPathText, type CompiledPath } from './jsonpath.js';
import { nameOf } from './meta.js';
import type { ColumnType, TableColumn, TablePrinter } from './types.js';

export interface AdditionalPrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

const DEFAULT_COLUMNS: AdditionalPrinterColumn[] = [
  { name: 'Age', type: 'date', description: 'Time since the object was created.', jsonPath: '.metadata.creationTimestamp' },
];

/** A cell for a non-string column, typed as the column says; null when it does not fit. */
function typedCell(type: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      const ms = Date.parse(value);
      return Number.isNaN(ms) ? '<invalid>' : rfc3339(ms);
    }
    default:
      return null;
  }
}

export function printerFromAdditionalPrinterColumns(columns: AdditionalPrinterColumn[]): TablePrinter {
  const effective = columns.length > 0 ? columns : DEFAULT_COLUMNS;
  const paths: CompiledPath[] = effective.map((c) => compileJsonPath(c.jsonPath));
  const defs: TableColumn[] = [
    nameCol(),
    ...effective.map(
      (c): TableColumn => ({
        name: c.name,
        // CRD validation limits types to the five table types.
        type: c.type as ColumnType,
        format: c.format ?? '',
        description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
        priority: c.priority ?? 0,
      }),
    ),
  ];
  return {
    columns: defs,
    cells(o, now) {
      const cells: unknown[] = [nameOf(o)];
      effective.forEach((c, i) => {
        const found = paths[i].find(o);
        if (found.length === 0) {
          cells.push(null);
          return;
        }
        // Date columns print as an age, as upstream's custom resource table convertor does.
        if (c.type === 'date') cells.push(typeof found[0] === 'string' ? timestampSince(found[0], now) : null);
        else cells.push(c.type === 'string' ? jsonPathText(found[0]) : typedCell(c.type, found[0]));
      });
      return cells;
    },
  };
}
