// Parses a request path into what it addresses, as upstream's RequestInfoFactory does.

export interface RequestInfo {
  /** True for /api/... and /apis/... paths that address a resource. */
  isResourceRequest: boolean;
  path: string;
  /** get, list, watch, create, update, patch, delete, deletecollection (or the lowercased method). */
  verb: string;
  apiPrefix: 'api' | 'apis' | '';
  group: string;
  version: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** Path segments below the subresource (e.g. proxy paths). */
  parts: string[];
}

const methodVerbs: Record<string, string> = {
  GET: 'get',
  HEAD: 'get',
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

export function parseRequestInfo(method: string, rawPath: string, query: URLSearchParams): RequestInfo {
  const path = rawPath;
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: '',
    group: '',
    version: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
  const split = path.split('/').filter(Boolean);
  const segs = path.includes('%') ? split.map(decodeURIComponent) : split;
  if (segs[0] !== 'api' && segs[0] !== 'apis') return info;
  info.apiPrefix = segs[0];
  let rest = segs.slice(1);
  if (info.apiPrefix === 'apis') {
    if (rest.length < 2) return info; // /apis or /apis/<group>: discovery
    info.group = rest[0]!;
    rest = rest.slice(1);
  } else if (rest.length < 1) {
    return info;
  }
  info.version = rest[0]!;
  rest = rest.slice(1);
  if (rest.length === 0) return info; // group-version discovery
  info.isResourceRequest = true;
  info.verb = methodVerbs[method] ?? method.toLowerCase();
  // Legacy watch paths: /api/v1/watch/namespaces/x/pods
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  if (rest[0] === 'namespaces' && rest.length > 1) {
    info.namespace = rest[1]!;
    // /namespaces/<ns>/<resource>/...; but /namespaces/<name>/status|finalize addresses the namespace.
    if (rest.length > 2 && rest[2] !== 'status' && rest[2] !== 'finalize') rest = rest.slice(2);
  }
  info.resource = rest[0] ?? '';
  if (rest.length >= 2) info.name = rest[1]!;
  if (rest.length >= 3) info.subresource = rest[2]!;
  if (rest.length > 3) info.parts = rest.slice(3);

  if (info.verb === 'get' && !info.name) {
    const watch = legacyWatch || ['1', 'true'].includes(query.get('watch') ?? '');
    info.verb = watch ? 'watch' : 'list';
  } else if (info.verb === 'get' && legacyWatch) {
    info.verb = 'watch';
  }
  if (info.verb === 'delete' && !info.name) info.verb = 'deletecollection';
  return info;
}
