// A small list table for Deployment and Pod paths, for this module's tests.
import type { ListKeys, ListType } from './schema.js';

const byName: ListType = { type: 'map', keys: ['name'] };
const LISTS: Record<string, ListType> = {
  'metadata.finalizers': { type: 'set' },
  'spec.containers': byName,
  'spec.containers.[].env': byName,
  'spec.containers.[].ports': { type: 'map', keys: ['containerPort', 'protocol'] },
  'spec.template.spec.containers': byName,
  'spec.template.spec.containers.[].env': byName,
  'spec.template.spec.containers.[].ports': { type: 'map', keys: ['containerPort', 'protocol'] },
  'spec.template.spec.tolerations': { type: 'atomic' },
};

export const testListKeys: ListKeys = (path) => LISTS[path.join('.')];
