// The Job a CronJob starts for one scheduled time.
import { deepCopyJSON } from '../../api/meta.js';
import type { BatchJob } from '../job/types.js';
import { ownerRefTo } from '../refmanager/claim.js';
import { wallTime } from './cron-schedule.js';
import { SCHEDULED_TIMESTAMP_ANNOTATION, type CronJob } from './types.js';

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');

/** RFC 3339 in `timeZone` (`Z` for a zero offset, as Go prints it). */
export function formatRFC3339InZone(ms: number, timeZone: string): string {
  const w = wallTime(ms, timeZone);
  const wallMs = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  const offsetMin = Math.round((wallMs - Math.floor(ms / 60_000) * 60_000) / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  const off = offsetMin === 0 ? 'Z' : `${offsetMin < 0 ? '-' : '+'}${pad(Math.trunc(offsetMin / 60))}:${pad(offsetMin % 60)}`;
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(seconds)}${off}`;
}

export function newJobForCronJob(cj: CronJob, name: string, scheduledMs: number, timeZone: string): BatchJob {
  const tmpl = deepCopyJSON(cj.spec.jobTemplate);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: cj.metadata.namespace,
      labels: { ...(tmpl.metadata?.labels ?? {}) },
      annotations: { ...(tmpl.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP_ANNOTATION]: formatRFC3339InZone(scheduledMs, timeZone) },
      ownerReferences: [ownerRefTo(cj, 'batch/v1', 'CronJob')],
    },
    spec: tmpl.spec,
  };
}
