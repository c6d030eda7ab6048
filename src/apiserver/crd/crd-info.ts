// What the API server derives from a CustomResourceDefinition to serve its resource.
import type { KubeObject } from '../../api/meta.js';
import { defaultPrinter, printerFromAdditionalPrinterColumns, type AdditionalPrinterColumn, type TablePrinter } from '../printers/index.js';
import { STANDARD_VERBS, type ResourceInfo, type SubresourceInfo } from '../registry/resource-info.js';
import type { CrdSchema } from './structural.js';

export interface ScalePaths {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface CrdVersionInfo {
  schema?: CrdSchema;
  printer: TablePrinter;
  scale?: ScalePaths;
  hasStatus: boolean;
}

export interface CrdInfo {
  name: string;
  versions: Map<string, CrdVersionInfo>;
}

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: CrdSchema };
  subresources?: { status?: object; scale?: ScalePaths };
  additionalPrinterColumns?: AdditionalPrinterColumn[];
}

export interface CrdSpec {
  group: string;
  names: { plural: string; singular?: string; kind: string; listKind?: string; shortNames?: string[]; categories?: string[] };
  scope: 'Namespaced' | 'Cluster';
  versions: CrdVersion[];
}

/** Upstream's version priority: GA before beta before alpha, higher numbers first, others last by name. */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0, v] as const;
    const stage = m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2;
    return [stage, -Number(m[1]), -Number(m[3] ?? 0), v] as const;
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return a < b ? -1 : a > b ? 1 : 0;
}

export const crdSpec = (crd: KubeObject) => crd.spec as CrdSpec;

/** The ResourceInfo the registry serves for a CRD (its served versions, preferred first). */
export function resourceInfoFor(crd: KubeObject): ResourceInfo {
  const spec = crdSpec(crd);
  const served = spec.versions.filter((v) => v.served !== false).sort((a, b) => compareKubeVersions(a.name, b.name));
  const versions = new Map<string, CrdVersionInfo>();
  for (const v of served) {
    versions.set(v.name, {
      schema: v.schema?.openAPIV3Schema,
      printer: v.additionalPrinterColumns?.length ? printerFromAdditionalPrinterColumns(v.additionalPrinterColumns) : defaultPrinter,
      scale: v.subresources?.scale,
      hasStatus: v.subresources?.status !== undefined,
    });
  }
  const first = served[0];
  const subresources: SubresourceInfo[] = [];
  if (first?.subresources?.status) subresources.push({ name: 'status', kind: spec.names.kind, verbs: ['get', 'patch', 'update'] });
  if (first?.subresources?.scale) subresources.push({ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] });
  const info: CrdInfo = { name: crd.metadata.name!, versions };
  return {
    group: spec.group,
    version: first?.name ?? 'v1',
    versions: served.map((v) => v.name),
    resource: spec.names.plural,
    kind: spec.names.kind,
    singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
    listKind: spec.names.listKind ?? `${spec.names.kind}List`,
    namespaced: spec.scope !== 'Cluster',
    shortNames: spec.names.shortNames ?? [],
    categories: spec.names.categories ?? [],
    verbs: [...STANDARD_VERBS],
    subresources,
    crd: info,
  };
}

export function crdVersionInfo(r: ResourceInfo, version: string): CrdVersionInfo | undefined {
  return (r.crd as CrdInfo | undefined)?.versions.get(version);
}
