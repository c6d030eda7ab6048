// How long a pod waits in a stage before it moves on.
import type { KubeObject } from '../../api/meta.js';
import { parseDuration } from '../duration.js';
import type { StageDelay } from './types.js';

/** The stage's delay for this pod: annotation or fixed duration, plus jitter, capped by the deletion grace if asked. */
export function stageDelayMs(pod: KubeObject, delay: StageDelay | undefined, random: () => number = Math.random): number {
  if (!delay) return 0;
  let ms = delay.durationMs ?? 0;
  for (const name of delay.fromAnnotations ?? []) {
    const v = pod.metadata.annotations?.[name];
    if (v === undefined) continue;
    try {
      ms = parseDuration(v);
      break;
    } catch {
      // An unreadable annotation falls back to the next one, or the fixed duration.
    }
  }
  if (delay.jitterMs) ms += random() * delay.jitterMs;
  const grace = pod.metadata.deletionGracePeriodSeconds;
  if (delay.capToGracePeriod && typeof grace === 'number') ms = Math.min(ms, grace * 1000);
  return Math.max(0, ms);
}
