// Container lifecycle hooks (postStart, preStop): exec, httpGet or sleep.
import type { Container, LifecycleHandler } from '../api/core-v1.js';
import type { RuntimeService } from '../cri/types.js';
import type { Clock } from '../util/clock.js';
import { runHandler, type HandlerResult, type ProbeNet } from './prober/handlers.js';

export async function runHook(runtime: RuntimeService, clock: Clock, h: LifecycleHandler, containerId: string, container: Container, podIP: string, timeoutSeconds: number, net?: ProbeNet): Promise<HandlerResult> {
  if (h.sleep) {
    const ms = Math.min(h.sleep.seconds, timeoutSeconds) * 1000;
    await new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
    return { ok: true, message: '' };
  }
  const timeout = Math.max(1, timeoutSeconds);
  let timer: unknown;
  const deadline = new Promise<HandlerResult>((resolve) => {
    timer = clock.setTimeout(() => resolve({ ok: false, message: `hook did not finish within ${timeout}s` }), timeout * 1000);
  });
  try {
    return await Promise.race([runHandler(runtime, h, { containerId, container, podIP }, timeout, net), deadline]);
  } finally {
    clock.clearTimeout(timer);
  }
}
