// Shapes of the meta.k8s.io Table that `kubectl get` asks for, and of the
// per-resource printers that fill it.

export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

export interface TableColumn {
  name: string;
  type: ColumnType;
  format: string;
  description: string;
  /** 0 = always shown; >0 = only with `-o wide`. */
  priority: number;
}

/** A row condition, as upstream attaches to finished pods. */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface TablePrinter {
  columns: TableColumn[];
  /** One cell per column, wide columns included (the server always prints them all). */
  cells(obj: Record<string, unknown>, now: Date): unknown[];
  /** Optional row conditions (pods: Completed when Succeeded/Failed). */
  conditions?(obj: Record<string, unknown>): TableRowCondition[] | undefined;
}

export type IncludeObject = 'None' | 'Object' | 'Metadata';

export interface TableRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
  object?: Record<string, unknown>;
}

export interface TableListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: TableListMeta;
  columnDefinitions: TableColumn[];
  rows: TableRow[];
}
