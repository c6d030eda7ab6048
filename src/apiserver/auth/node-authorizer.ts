// What a node agent may do (kubelet, kube-proxy, network plugin). Agents
// authenticate with the node join token; until per-node credentials exist
// (upstream: a CSR-issued system:node:<name> certificate checked by the Node
// authorizer), every agent gets this one rule set, which covers what
// upstream's system:node and system:node-proxier roles grant.
import type { RuleSet } from './authorizer.js';
import { NODE_TOKEN_GROUP } from './bootstrap-token.js';
import type { UserInfo } from './types.js';

const READ = ['get', 'list', 'watch'];

export const NODE_AGENT_RULES: RuleSet = {
  resourceRules: [
    { verbs: [...READ, 'create', 'update', 'patch', 'delete'], apiGroups: [''], resources: ['nodes', 'nodes/status'] },
    { verbs: [...READ, 'create', 'delete'], apiGroups: [''], resources: ['pods'] },
    { verbs: ['update', 'patch'], apiGroups: [''], resources: ['pods/status'] },
    { verbs: ['create'], apiGroups: [''], resources: ['pods/eviction', 'serviceaccounts/token'] },
    { verbs: READ, apiGroups: [''], resources: ['configmaps', 'secrets', 'services', 'endpoints', 'persistentvolumeclaims', 'persistentvolumes', 'namespaces'] },
    { verbs: ['create', 'update', 'patch'], apiGroups: ['', 'events.k8s.io'], resources: ['events'] },
    { verbs: [...READ, 'create', 'update', 'patch', 'delete'], apiGroups: ['coordination.k8s.io'], resources: ['leases'] },
    // Read for kube-proxy; written for the node's own DNS endpoint (kube-dns-<node>).
    { verbs: [...READ, 'create', 'update', 'patch', 'delete'], apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'] },
    { verbs: READ, apiGroups: ['storage.k8s.io'], resources: ['storageclasses'] },
    { verbs: READ, apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingressclasses', 'networkpolicies'] },
    { verbs: ['update', 'patch'], apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'] },
    { verbs: ['update', 'patch'], apiGroups: [''], resources: ['services/status'] },
  ],
  nonResourceRules: [],
  incomplete: false,
};

export function isNodeAgent(user: UserInfo): boolean {
  return user.groups.includes(NODE_TOKEN_GROUP);
}
