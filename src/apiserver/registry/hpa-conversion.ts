// autoscaling/v1 HorizontalPodAutoscalers are stored as autoscaling/v2: the
// v1 CPU utilization target and current value map to a v2 Resource metric.
import type { KubeObject } from '../../api/meta.js';
import type { VersionConversion } from './resource-info.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface ResourceMetric {
  type?: string;
  resource?: { name?: string; target?: { type?: string; averageUtilization?: number }; current?: { averageUtilization?: number } };
}

const cpuMetric = (m: unknown): m is ResourceMetric => isObj(m) && m.type === 'Resource' && isObj(m.resource) && m.resource.name === 'cpu';

export const hpaV1Conversion: VersionConversion = {
  toStored(obj: KubeObject): KubeObject {
    const { targetCPUUtilizationPercentage, ...spec } = (obj.spec ?? {}) as Obj & { targetCPUUtilizationPercentage?: number };
    const { currentCPUUtilizationPercentage, ...status } = (obj.status ?? {}) as Obj & { currentCPUUtilizationPercentage?: number };
    const out: KubeObject = { ...obj, apiVersion: 'autoscaling/v2', spec };
    if (targetCPUUtilizationPercentage !== undefined) {
      spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: targetCPUUtilizationPercentage } } }];
    }
    if (obj.status !== undefined) {
      if (currentCPUUtilizationPercentage !== undefined) {
        status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: currentCPUUtilizationPercentage } } }];
      }
      out.status = status;
    }
    return out;
  },
  fromStored(obj: KubeObject): KubeObject {
    const { metrics, behavior: _b, ...spec } = (obj.spec ?? {}) as Obj & { metrics?: unknown[]; behavior?: unknown };
    const { currentMetrics, conditions: _c, ...status } = (obj.status ?? {}) as Obj & { currentMetrics?: unknown[]; conditions?: unknown };
    const target = (metrics ?? []).find(cpuMetric)?.resource?.target?.averageUtilization;
    const current = (currentMetrics ?? []).find(cpuMetric)?.resource?.current?.averageUtilization;
    if (target !== undefined) spec.targetCPUUtilizationPercentage = target;
    if (current !== undefined) status.currentCPUUtilizationPercentage = current;
    const out: KubeObject = { ...obj, apiVersion: 'autoscaling/v1', spec };
    if (obj.status !== undefined) out.status = status;
    return out;
  },
};
