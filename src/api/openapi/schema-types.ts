// Shapes shared by the OpenAPI builders and the field validator.

/** The subset of JSON Schema (OpenAPI flavour) that kubets emits and reads. */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  $ref?: string;
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  [extension: `x-${string}`]: unknown;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** Strategic-merge / list metadata for one field, supplied by the patch-meta table. */
export interface FieldExtension {
  mergeKey?: string;
  strategy?: string;
  listType?: string;
  listMapKeys?: string[];
}

/** Looks up the strategic-merge metadata of `field` in the definition `definitionName`. */
export type FieldExtensions = (definitionName: string, field: string) => FieldExtension | undefined;

/** One served resource, as the API server's discovery knows it. */
export interface ResourceInfo {
  group: string;
  version: string;
  /** Plural resource name, e.g. "deployments". */
  resource: string;
  kind: string;
  namespaced: boolean;
  /** e.g. ["status", "scale"]; only status and scale get schema-carrying paths. */
  subresources?: string[];
  /**
   * Schema of the kind for resources with no built-in definition (CRDs):
   * the version's openAPIV3Schema. metadata/apiVersion/kind are filled in.
   */
  schema?: JsonSchema;
}

export type Definitions = Record<string, JsonSchema>;

export const DEFINITION_REF_PREFIX_V3 = '#/components/schemas/';
export const DEFINITION_REF_PREFIX_V2 = '#/definitions/';
