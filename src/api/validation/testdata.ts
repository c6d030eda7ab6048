// Helpers for validation tests: default then validate, as the API server does.

import { applyDefaults } from '../defaults/index.js';
import { fieldErrorString } from './field-error.js';
import { validate } from './index.js';

/** Defaults a copy of obj, validates it, and returns `field: message` strings. */
export function check(group: string, kind: string, obj: Record<string, unknown>, old?: Record<string, unknown>): string[] {
  const copy = structuredClone(obj);
  applyDefaults(group, kind, copy);
  let oldCopy: Record<string, unknown> | undefined;
  if (old) {
    oldCopy = structuredClone(old);
    applyDefaults(group, kind, oldCopy);
  }
  return validate(group, kind, copy, oldCopy).map(fieldErrorString);
}

export const meta = (name = 'x', namespace = 'default') => ({ name, namespace });

export const container = (extra: Record<string, unknown> = {}) => ({ name: 'app', image: 'nginx:1.27', ...extra });

export const pod = (spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = meta('p')) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata,
  spec: { containers: [container()], ...spec },
});

export const template = (labels: Record<string, string> = { app: 'web' }, spec: Record<string, unknown> = {}) => ({
  metadata: { labels },
  spec: { containers: [container()], ...spec },
});
