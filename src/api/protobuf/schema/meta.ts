// Schema of apimachinery's shared messages (meta/v1, runtime, resource, intstr),
// written for kubets with the upstream field numbers.
//
// Conventions used by every schema file here (proto3 syntax, parsed by protobufjs):
//  - a plain field is a Go value field: its zero value is omitted from the JSON (omitempty);
//  - an `optional` field is a Go pointer: present on the wire means present in the JSON, even if zero;
//  - `[(inline) = true]` marks an embedded Go struct whose fields the JSON carries inline;
//  - message fields are emitted whenever present on the wire (Go always writes value structs).
// The wire format is the same as upstream's proto2 files, so both directions interoperate.
export const META_PROTO = `
syntax = "proto3";
package runtime;

message TypeMeta {
  string apiVersion = 1;
  string kind = 2;
}

message Unknown {
  TypeMeta typeMeta = 1;
  bytes raw = 2;
  string contentEncoding = 3;
  string contentType = 4;
}

message RawExtension {
  bytes raw = 1;
}
`;

export const RESOURCE_PROTO = `
syntax = "proto3";
package resource;

message Quantity {
  string string = 1;
}
`;

export const INTSTR_PROTO = `
syntax = "proto3";
package intstr;

message IntOrString {
  int64 type = 1;
  int32 intVal = 2;
  string strVal = 3;
}
`;

export const META_V1_PROTO = `
syntax = "proto3";
package meta;

message Time {
  int64 seconds = 1;
  int32 nanos = 2;
}

message MicroTime {
  int64 seconds = 1;
  int32 nanos = 2;
}

message Duration {
  int64 duration = 1;
}

message FieldsV1 {
  bytes Raw = 1;
}

message OwnerReference {
  string kind = 1;
  string name = 3;
  string uid = 4;
  string apiVersion = 5;
  optional bool controller = 6;
  optional bool blockOwnerDeletion = 7;
}

message ManagedFieldsEntry {
  string manager = 1;
  string operation = 2;
  string apiVersion = 3;
  optional Time time = 4;
  string fieldsType = 6;
  optional FieldsV1 fieldsV1 = 7;
  string subresource = 8;
}

message ObjectMeta {
  string name = 1;
  string generateName = 2;
  string namespace = 3;
  string selfLink = 4;
  string uid = 5;
  string resourceVersion = 6;
  int64 generation = 7;
  Time creationTimestamp = 8;
  optional Time deletionTimestamp = 9;
  optional int64 deletionGracePeriodSeconds = 10;
  map<string, string> labels = 11;
  map<string, string> annotations = 12;
  repeated OwnerReference ownerReferences = 13;
  repeated string finalizers = 14;
  repeated ManagedFieldsEntry managedFields = 17;
}

message ListMeta {
  string selfLink = 1;
  string resourceVersion = 2;
  string continue = 3;
  optional int64 remainingItemCount = 4;
}

message LabelSelectorRequirement {
  string key = 1;
  string operator = 2;
  repeated string values = 3;
}

message LabelSelector {
  map<string, string> matchLabels = 1;
  repeated LabelSelectorRequirement matchExpressions = 2;
}

message FieldSelectorRequirement {
  string key = 1;
  string operator = 2;
  repeated string values = 3;
}

message Condition {
  string type = 1;
  string status = 2;
  int64 observedGeneration = 3;
  Time lastTransitionTime = 4;
  string reason = 5;
  string message = 6;
}
`;
