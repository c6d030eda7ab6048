// What the API server knows about each resource it serves.

export const STANDARD_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;

export interface SubresourceInfo {
  name: string;
  kind: string;
  /** Group/version of the subresource's kind when it differs (scale → autoscaling/v1). */
  group?: string;
  version?: string;
  verbs: string[];
}

/** A resource served as another resource's objects, seen through a conversion (events.k8s.io Events). */
export interface Conversion {
  storedAs: { group: string; resource: string };
  toStored(obj: import('../../api/meta.js').KubeObject): import('../../api/meta.js').KubeObject;
  fromStored(obj: import('../../api/meta.js').KubeObject): import('../../api/meta.js').KubeObject;
}

/** Another served version of the same stored objects (autoscaling/v1 of v2 HPAs). */
export interface VersionConversion {
  toStored(obj: import('../../api/meta.js').KubeObject): import('../../api/meta.js').KubeObject;
  fromStored(obj: import('../../api/meta.js').KubeObject): import('../../api/meta.js').KubeObject;
}

export interface ResourceInfo {
  group: string;
  version: string;
  /** Every version this resource is served at; the first is the storage and preferred version. */
  versions: string[];
  resource: string;
  kind: string;
  singular: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: SubresourceInfo[];
  /** Review-style resources: create-only, answered without storage. */
  virtual?: boolean;
  /** Served versions other than the stored one that need converting, by version. */
  versionConversions?: Record<string, VersionConversion>;
  /** Stored as another resource's objects (see Conversion). */
  conversion?: Conversion;
  /** CRD-specific: the schema, printer columns and so on live with the CRD. */
  crd?: unknown;
}

export const gv = (r: Pick<ResourceInfo, 'group' | 'version'>, version = r.version) =>
  r.group ? `${r.group}/${version}` : version;
