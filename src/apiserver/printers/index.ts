// Server-side table printing: the public surface the API server uses.

export type { ColumnType, IncludeObject, Table, TableColumn, TablePrinter, TableRow, TableRowCondition } from './types.js';
export { buildTable, type BuildTableOptions } from './table.js';
export { printerFor, hasPrinter } from './registry.js';
export { defaultPrinter } from './default-printer.js';
export { scalePrinter } from './cluster.js';
export { printerFromAdditionalPrinterColumns, type AdditionalPrinterColumn } from './crd-columns.js';
export { compileJsonPath, JsonPathError } from './jsonpath.js';
export { humanDuration, timestampSince } from './duration.js';
export { canonicalQuantity } from './quantity.js';
