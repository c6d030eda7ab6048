import assert from 'node:assert/strict';
import { test } from 'node:test';
import protobuf from 'protobufjs';
import { encodeOpenApiV2Protobuf } from './openapi-v2-protobuf.js';
import { buildOpenApiV2 } from './openapi-v2.js';
import { ProtoWriter } from './proto-writer.js';

test('ProtoWriter encodes strings, bools, nested messages and multi-byte varints', () => {
  const w = new ProtoWriter().string(1, 'hi').bool(2, true).bool(3, false).string(4, '');
  w.message(5, (m) => m.string(1, 'x'.repeat(200)));
  const bytes = w.finish();
  assert.deepEqual([...bytes.slice(0, 6)], [0x0a, 2, 0x68, 0x69, 0x10, 1]);
  // field 5, wire type 2; length 203 = 0xcb 0x01; inner: tag 0x0a, length 200 = 0xc8 0x01
  assert.deepEqual([...bytes.slice(6, 12)], [0x2a, 0xcb, 0x01, 0x0a, 0xc8, 0x01]);
  assert.equal(bytes.length, 12 + 200);
});

// The parts of gnostic's openapi.v2 schema this test reads back.
const GNOSTIC_SUBSET = `
syntax = "proto3";
package openapi.v2;
message Any { string yaml = 2; }
message NamedAny { string name = 1; Any value = 2; }
message TypeItem { repeated string value = 1; }
message NamedSchema { string name = 1; Schema value = 2; }
message Properties { repeated NamedSchema additional_properties = 1; }
message Schema { string _ref = 1; string description = 4; repeated string required = 19; TypeItem type = 22; Properties properties = 25; repeated NamedAny vendor_extension = 31; }
message Definitions { repeated NamedSchema additional_properties = 1; }
message Info { string title = 1; string version = 2; }
message QueryParameterSubSchema { string in = 2; string name = 4; string type = 6; }
message NonBodyParameter { QueryParameterSubSchema query_parameter_sub_schema = 3; }
message Parameter { NonBodyParameter non_body_parameter = 2; }
message ParametersItem { Parameter parameter = 1; }
message Operation { string operation_id = 5; repeated ParametersItem parameters = 8; repeated NamedAny vendor_extension = 13; }
message PathItem { Operation get = 2; Operation patch = 8; }
message NamedPathItem { string name = 1; PathItem value = 2; }
message Paths { repeated NamedPathItem path = 2; }
message Document { string swagger = 1; Info info = 2; Paths paths = 8; Definitions definitions = 9; }
`;

interface Named<T> {
  name: string;
  value: T;
}
interface DecodedSchema {
  _ref?: string;
  description?: string;
  required?: string[];
  type?: { value: string[] };
  properties?: { additionalProperties: Array<Named<DecodedSchema>> };
  vendorExtension?: Array<Named<{ yaml: string }>>;
}
interface DecodedOperation {
  operationId: string;
  parameters: Array<{ parameter?: { nonBodyParameter?: { queryParameterSubSchema?: { name: string; in: string } } } }>;
  vendorExtension: Array<Named<{ yaml: string }>>;
}
interface DecodedDocument {
  swagger: string;
  info: { title: string; version: string };
  paths: { path: Array<Named<{ get?: DecodedOperation; patch?: DecodedOperation }>> };
  definitions: { additionalProperties: Array<Named<DecodedSchema>> };
}

test('the v2 protobuf decodes as a gnostic Document with definitions, GVKs and parameters', () => {
  const doc = buildOpenApiV2([{ group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true }]);
  const type = protobuf.parse(GNOSTIC_SUBSET).root.lookupType('openapi.v2.Document');
  const decoded = type.toObject(type.decode(encodeOpenApiV2Protobuf(doc))) as DecodedDocument;
  assert.equal(decoded.swagger, '2.0');
  assert.equal(decoded.info.title, 'Kubernetes');
  const defs = new Map(decoded.definitions.additionalProperties.map((d) => [d.name, d.value]));
  const deployment = defs.get('io.k8s.api.apps.v1.Deployment');
  assert.deepEqual(deployment?.type?.value, ['object']);
  const gvk = deployment?.vendorExtension?.find((e) => e.name === 'x-kubernetes-group-version-kind');
  assert.deepEqual(JSON.parse(gvk?.value.yaml ?? 'null'), [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
  const props = new Map(deployment?.properties?.additionalProperties.map((p) => [p.name, p.value]));
  assert.equal(props.get('spec')?._ref, '#/definitions/io.k8s.api.apps.v1.DeploymentSpec');
  assert.deepEqual(defs.get('io.k8s.api.core.v1.Container')?.required, ['name']);
  const item = decoded.paths.path.find((p) => p.name === '/apis/apps/v1/namespaces/{namespace}/deployments/{name}');
  assert.equal(item?.value.patch?.operationId, 'patchAppsV1NamespacedDeployment');
  const names = item?.value.patch?.parameters.map((p) => p.parameter?.nonBodyParameter?.queryParameterSubSchema?.name).filter(Boolean);
  assert.ok(names?.includes('fieldValidation'));
});
