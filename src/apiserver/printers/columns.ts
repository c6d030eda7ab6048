// Column-definition shorthands. Names and types are upstream's (kubectl
// upper-cases the names for headers); descriptions are our own wording.

import type { ColumnType, TableColumn } from './types.js';

export function col(name: string, type: ColumnType, description: string, priority = 0, format = ''): TableColumn {
  return { name, type, format, description, priority };
}

export const nameCol = (): TableColumn =>
  col('Name', 'string', 'Name of the object, unique within its namespace.', 0, 'name');

export const ageCol = (): TableColumn => col('Age', 'string', 'Time since the object was created.');

export const wide = (name: string, type: ColumnType, description: string): TableColumn => col(name, type, description, 1);

/** The CONTAINERS / IMAGES (/ SELECTOR) wide columns workloads share. */
export function containerColumns(withSelector: boolean): TableColumn[] {
  const out = [
    wide('Containers', 'string', 'Names of the containers in the pod template.'),
    wide('Images', 'string', 'Images of the containers in the pod template.'),
  ];
  if (withSelector) out.push(wide('Selector', 'string', 'Label selector for the pods this object manages.'));
  return out;
}
