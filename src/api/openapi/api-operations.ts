// The REST operations each served resource offers, described once and
// rendered by both the OpenAPI v3 and the swagger 2.0 builders.
import { PATCH } from './builtin-definitions.js';
import { META_V1 } from './definition-names.js';
import type { ResolvedResource } from './resource-schemas.js';
import type { GroupVersionKind } from './schema-types.js';

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';
export type KubeAction = 'get' | 'list' | 'put' | 'post' | 'delete' | 'deletecollection' | 'patch';

export type QueryParameterName =
  | 'dryRun'
  | 'fieldManager'
  | 'fieldValidation'
  | 'force'
  | 'labelSelector'
  | 'fieldSelector'
  | 'limit'
  | 'continue'
  | 'resourceVersion'
  | 'watch'
  | 'timeoutSeconds'
  | 'gracePeriodSeconds'
  | 'propagationPolicy';

export interface ApiOperation {
  method: HttpMethod;
  action: KubeAction;
  operationId: string;
  description: string;
  gvk: GroupVersionKind;
  /** Definition sent as the body, if any. */
  requestDefinition?: string;
  /** PATCH bodies: the patch content types accepted (custom resources take no strategic merge patch). */
  patchBody?: readonly string[];
  responseDefinition: string;
  /** Status codes that carry `responseDefinition`. */
  successCodes: string[];
  query: QueryParameterName[];
}

export interface ApiPath {
  path: string;
  pathParameters: Array<'namespace' | 'name'>;
  operations: ApiOperation[];
}

export const QUERY_PARAMETER_DOCS: Record<QueryParameterName, { description: string; type: 'string' | 'integer' | 'boolean' }> = {
  dryRun: {
    type: 'string',
    description:
      'When present, indicates that modifications should not be persisted. Valid values are: All (all dry run stages will be processed).',
  },
  fieldManager: {
    type: 'string',
    description: 'fieldManager is a name associated with the actor or entity that is making these changes.',
  },
  fieldValidation: {
    type: 'string',
    description:
      'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.',
  },
  force: { type: 'boolean', description: 'Force is going to "force" Apply requests. Must be unset for non-apply patch requests.' },
  labelSelector: { type: 'string', description: 'A selector to restrict the list of returned objects by their labels.' },
  fieldSelector: { type: 'string', description: 'A selector to restrict the list of returned objects by their fields.' },
  limit: { type: 'integer', description: 'limit is a maximum number of responses to return for a list call.' },
  continue: { type: 'string', description: 'The continue option should be set when retrieving more results from the server.' },
  resourceVersion: { type: 'string', description: 'resourceVersion sets a constraint on what resource versions a request may be served from.' },
  watch: { type: 'boolean', description: 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.' },
  timeoutSeconds: { type: 'integer', description: 'Timeout for the list/watch call.' },
  gracePeriodSeconds: { type: 'integer', description: 'The duration in seconds before the object should be deleted.' },
  propagationPolicy: { type: 'string', description: "Whether and how garbage collection will be performed: 'Orphan', 'Background' or 'Foreground'." },
};

const WRITE_QUERY: QueryParameterName[] = ['dryRun', 'fieldManager', 'fieldValidation'];
const LIST_QUERY: QueryParameterName[] = ['labelSelector', 'fieldSelector', 'limit', 'continue', 'resourceVersion', 'timeoutSeconds', 'watch'];
const DELETE_QUERY: QueryParameterName[] = ['dryRun', 'gracePeriodSeconds', 'propagationPolicy'];

const STATUS = `${META_V1}.Status`;
const DELETE_OPTIONS = `${META_V1}.DeleteOptions`;
const SCALE = 'io.k8s.api.autoscaling.v1.Scale';
const SCALE_GVK: GroupVersionKind = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

/** "rbac.authorization.k8s.io" + "v1" -> "RbacAuthorizationV1", "" -> "CoreV1". */
function operationGroupVersion(group: string, version: string): string {
  const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
  const parts = group === '' ? ['core'] : group.replace(/\.k8s\.io$/, '').split(/[.-]/);
  return parts.map(cap).join('') + cap(version);
}

export function resourcePaths(r: ResolvedResource): ApiPath[] {
  // Upstream offers no strategic merge patch for custom resources; kubectl reads this to pick its patch type.
  const patchTypes = r.info.schema ? PATCH_CONTENT_TYPES.filter((t) => !t.startsWith('application/strategic')) : PATCH_CONTENT_TYPES;
  const { info, gvk, definition, listDefinition } = r;
  const base = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  const gv = operationGroupVersion(info.group, info.version);
  const scope = info.namespaced ? 'Namespaced' : '';
  const collection = info.namespaced ? `${base}/namespaces/{namespace}/${info.resource}` : `${base}/${info.resource}`;
  const collectionParams: Array<'namespace' | 'name'> = info.namespaced ? ['namespace'] : [];
  const item = `${collection}/{name}`;
  const itemParams: Array<'namespace' | 'name'> = [...collectionParams, 'name'];
  type OpFields = Omit<ApiOperation, 'method' | 'action' | 'operationId' | 'description' | 'gvk' | 'query'> & {
    query?: QueryParameterName[];
    /** Replaces the kind in the operation id, e.g. "DeploymentScale". */
    idKind?: string;
  };
  const op = (
    method: HttpMethod,
    action: KubeAction,
    verb: string,
    description: string,
    fields: OpFields,
    kind = gvk,
  ): ApiOperation => {
    const { idKind, query, ...rest } = fields;
    return {
      method,
      action,
      operationId: `${verb}${gv}${scope}${idKind ?? gvk.kind}`,
      description,
      gvk: kind,
      query: query ?? [],
      ...rest,
    };
  };

  const paths: ApiPath[] = [
    {
      path: collection,
      pathParameters: collectionParams,
      operations: [
        op('get', 'list', 'list', `list or watch objects of kind ${gvk.kind}`, {
          responseDefinition: listDefinition,
          successCodes: ['200'],
          query: LIST_QUERY,
        }),
        op('post', 'post', 'create', `create a ${gvk.kind}`, {
          requestDefinition: definition,
          responseDefinition: definition,
          successCodes: ['200', '201', '202'],
          query: WRITE_QUERY,
        }),
        op('delete', 'deletecollection', 'deleteCollection', `delete collection of ${gvk.kind}`, {
          requestDefinition: DELETE_OPTIONS,
          responseDefinition: STATUS,
          successCodes: ['200'],
          query: [...DELETE_QUERY, ...LIST_QUERY.filter((q) => q !== 'watch')],
        }),
      ],
    },
    {
      path: item,
      pathParameters: itemParams,
      operations: [
        op('get', 'get', 'read', `read the specified ${gvk.kind}`, { responseDefinition: definition, successCodes: ['200'] }),
        op('put', 'put', 'replace', `replace the specified ${gvk.kind}`, {
          requestDefinition: definition,
          responseDefinition: definition,
          successCodes: ['200', '201'],
          query: WRITE_QUERY,
        }),
        op('delete', 'delete', 'delete', `delete a ${gvk.kind}`, {
          requestDefinition: DELETE_OPTIONS,
          responseDefinition: definition,
          successCodes: ['200', '202'],
          query: DELETE_QUERY,
        }),
        op('patch', 'patch', 'patch', `partially update the specified ${gvk.kind}`, {
          requestDefinition: PATCH,
          patchBody: patchTypes,
          responseDefinition: definition,
          successCodes: ['200', '201'],
          query: [...WRITE_QUERY, 'force'],
        }),
      ],
    },
  ];
  if (info.namespaced) {
    paths.push({
      path: `${base}/${info.resource}`,
      pathParameters: [],
      operations: [
        {
          ...op('get', 'list', 'list', `list or watch objects of kind ${gvk.kind}`, {
            responseDefinition: listDefinition,
            successCodes: ['200'],
            query: LIST_QUERY,
          }),
          operationId: `list${gv}${gvk.kind}ForAllNamespaces`,
        },
      ],
    });
  }
  for (const sub of info.subresources ?? []) {
    if (sub !== 'status' && sub !== 'scale') continue;
    const isScale = sub === 'scale';
    const target = isScale ? SCALE : definition;
    const kind = isScale ? SCALE_GVK : gvk;
    const suffix = `${gvk.kind}${isScale ? 'Scale' : 'Status'}`;
    paths.push({
      path: `${item}/${sub}`,
      pathParameters: itemParams,
      operations: [
        op('get', 'get', 'read', `read ${sub} of the specified ${gvk.kind}`, { idKind: suffix, responseDefinition: target, successCodes: ['200'] }, kind),
        op(
          'put',
          'put',
          'replace',
          `replace ${sub} of the specified ${gvk.kind}`,
          { idKind: suffix, requestDefinition: target, responseDefinition: target, successCodes: ['200', '201'], query: WRITE_QUERY },
          kind,
        ),
        op(
          'patch',
          'patch',
          'patch',
          `partially update ${sub} of the specified ${gvk.kind}`,
          {
            idKind: suffix,
            requestDefinition: PATCH,
            patchBody: patchTypes,
            responseDefinition: target,
            successCodes: ['200', '201'],
            query: [...WRITE_QUERY, 'force'],
          },
          kind,
        ),
      ],
    });
  }
  return paths;
}

export const PATCH_CONTENT_TYPES = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];
export const RESPONSE_CONTENT_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

/** Definitions every operation list refers to, besides the kinds. */
export const OPERATION_DEFINITIONS = [STATUS, DELETE_OPTIONS, PATCH];
