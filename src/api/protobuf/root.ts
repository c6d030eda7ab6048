// Builds the protobufjs Root from kubets's schema text, once.
import protobuf from 'protobufjs';
import { AUTOSCALING_V2_PROTO } from './schema/autoscaling.js';
import { CERTIFICATES_V1_PROTO } from './schema/certificates.js';
import { CORE_V1_PROTO } from './schema/core.js';
import {
  APPS_V1_PROTO, AUTHENTICATION_V1_PROTO, AUTHORIZATION_V1_PROTO, BATCH_V1_PROTO,
  NETWORKING_V1_PROTO, POLICY_V1_PROTO, RBAC_V1_PROTO, SCHEDULING_V1_PROTO,
} from './schema/groups.js';
import { INTSTR_PROTO, META_PROTO, META_V1_PROTO, RESOURCE_PROTO } from './schema/meta.js';

const SOURCES = [
  META_PROTO, RESOURCE_PROTO, INTSTR_PROTO, META_V1_PROTO, CORE_V1_PROTO, APPS_V1_PROTO, BATCH_V1_PROTO,
  POLICY_V1_PROTO, SCHEDULING_V1_PROTO, NETWORKING_V1_PROTO, RBAC_V1_PROTO, AUTHENTICATION_V1_PROTO,
  AUTHORIZATION_V1_PROTO, AUTOSCALING_V2_PROTO, CERTIFICATES_V1_PROTO,
];

let root: protobuf.Root | undefined;

export function schemaRoot(): protobuf.Root {
  if (root === undefined) {
    const r = new protobuf.Root();
    // keepCase: field names are already the JSON names.
    for (const src of SOURCES) protobuf.parse(src, r, { keepCase: true });
    r.resolveAll();
    root = r;
  }
  return root;
}

export function lookupMessage(name: string): protobuf.Type {
  return schemaRoot().lookupType(name);
}
