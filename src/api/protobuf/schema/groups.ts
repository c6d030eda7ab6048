// Schema of the non-core group messages kubectl can send (see meta.ts for the conventions).
// Field numbers are upstream's; the selection of messages is kubets's own.
export const APPS_V1_PROTO = `
syntax = "proto3";
package apps;

message Deployment {
  meta.ObjectMeta metadata = 1;
  DeploymentSpec spec = 2;
  DeploymentStatus status = 3;
}
message DeploymentSpec {
  optional int32 replicas = 1;
  optional meta.LabelSelector selector = 2;
  core.PodTemplateSpec template = 3;
  DeploymentStrategy strategy = 4;
  int32 minReadySeconds = 5;
  optional int32 revisionHistoryLimit = 6;
  bool paused = 7;
  optional int32 progressDeadlineSeconds = 9;
  optional string podReplacementPolicy = 10;
}
message DeploymentStrategy {
  string type = 1;
  optional RollingUpdateDeployment rollingUpdate = 2;
}
message RollingUpdateDeployment {
  optional intstr.IntOrString maxUnavailable = 1;
  optional intstr.IntOrString maxSurge = 2;
}
message DeploymentStatus {
  int64 observedGeneration = 1;
  int32 replicas = 2;
  int32 updatedReplicas = 3;
  int32 availableReplicas = 4;
  int32 unavailableReplicas = 5;
  repeated DeploymentCondition conditions = 6;
  int32 readyReplicas = 7;
  optional int32 collisionCount = 8;
  optional int32 terminatingReplicas = 9;
}
message DeploymentCondition {
  string type = 1;
  string status = 2;
  string reason = 4;
  string message = 5;
  meta.Time lastUpdateTime = 6;
  meta.Time lastTransitionTime = 7;
}
`;

export const BATCH_V1_PROTO = `
syntax = "proto3";
package batch;

message Job {
  meta.ObjectMeta metadata = 1;
  JobSpec spec = 2;
  JobStatus status = 3;
}
message JobSpec {
  optional int32 parallelism = 1;
  optional int32 completions = 2;
  optional int64 activeDeadlineSeconds = 3;
  optional meta.LabelSelector selector = 4;
  optional bool manualSelector = 5;
  core.PodTemplateSpec template = 6;
  optional int32 backoffLimit = 7;
  optional int32 ttlSecondsAfterFinished = 8;
  optional string completionMode = 9;
  optional bool suspend = 10;
  optional PodFailurePolicy podFailurePolicy = 11;
  optional int32 backoffLimitPerIndex = 12;
  optional int32 maxFailedIndexes = 13;
  optional string podReplacementPolicy = 14;
  optional string managedBy = 15;
  optional SuccessPolicy successPolicy = 16;
}
message PodFailurePolicy { repeated PodFailurePolicyRule rules = 1; }
message PodFailurePolicyRule {
  string action = 1;
  optional PodFailurePolicyOnExitCodesRequirement onExitCodes = 2;
  repeated PodFailurePolicyOnPodConditionsPattern onPodConditions = 3;
}
message PodFailurePolicyOnExitCodesRequirement {
  optional string containerName = 1;
  string operator = 2;
  repeated int32 values = 3;
}
message PodFailurePolicyOnPodConditionsPattern {
  string type = 1;
  string status = 2;
}
message SuccessPolicy { repeated SuccessPolicyRule rules = 1; }
message SuccessPolicyRule {
  optional string succeededIndexes = 1;
  optional int32 succeededCount = 2;
}
message JobStatus {
  repeated JobCondition conditions = 1;
  optional meta.Time startTime = 2;
  optional meta.Time completionTime = 3;
  int32 active = 4;
  int32 succeeded = 5;
  int32 failed = 6;
  string completedIndexes = 7;
  optional UncountedTerminatedPods uncountedTerminatedPods = 8;
  optional int32 ready = 9;
  optional string failedIndexes = 10;
  optional int32 terminating = 11;
}
message UncountedTerminatedPods {
  repeated string succeeded = 1;
  repeated string failed = 2;
}
message JobCondition {
  string type = 1;
  string status = 2;
  meta.Time lastProbeTime = 3;
  meta.Time lastTransitionTime = 4;
  string reason = 5;
  string message = 6;
}
message JobTemplateSpec {
  meta.ObjectMeta metadata = 1;
  JobSpec spec = 2;
}
message CronJob {
  meta.ObjectMeta metadata = 1;
  CronJobSpec spec = 2;
  CronJobStatus status = 3;
}
message CronJobSpec {
  string schedule = 1;
  optional int64 startingDeadlineSeconds = 2;
  string concurrencyPolicy = 3;
  optional bool suspend = 4;
  JobTemplateSpec jobTemplate = 5;
  optional int32 successfulJobsHistoryLimit = 6;
  optional int32 failedJobsHistoryLimit = 7;
  optional string timeZone = 8;
}
message CronJobStatus {
  repeated core.ObjectReference active = 1;
  optional meta.Time lastScheduleTime = 4;
  optional meta.Time lastSuccessfulTime = 5;
}
`;

export const POLICY_V1_PROTO = `
syntax = "proto3";
package policy;

message PodDisruptionBudget {
  meta.ObjectMeta metadata = 1;
  PodDisruptionBudgetSpec spec = 2;
  PodDisruptionBudgetStatus status = 3;
}
message PodDisruptionBudgetSpec {
  optional intstr.IntOrString minAvailable = 1;
  optional meta.LabelSelector selector = 2;
  optional intstr.IntOrString maxUnavailable = 3;
  optional string unhealthyPodEvictionPolicy = 4;
}
message PodDisruptionBudgetStatus {
  int64 observedGeneration = 1;
  map<string, meta.Time> disruptedPods = 2;
  int32 disruptionsAllowed = 3 [(keep) = true];
  int32 currentHealthy = 4 [(keep) = true];
  int32 desiredHealthy = 5 [(keep) = true];
  int32 expectedPods = 6 [(keep) = true];
  repeated meta.Condition conditions = 7;
}
`;

export const SCHEDULING_V1_PROTO = `
syntax = "proto3";
package scheduling;

message PriorityClass {
  meta.ObjectMeta metadata = 1;
  int32 value = 2 [(keep) = true];
  bool globalDefault = 3;
  string description = 4;
  optional string preemptionPolicy = 5;
}
`;

export const NETWORKING_V1_PROTO = `
syntax = "proto3";
package networking;

message Ingress {
  meta.ObjectMeta metadata = 1;
  IngressSpec spec = 2;
  IngressStatus status = 3;
}
message IngressSpec {
  optional IngressBackend defaultBackend = 1;
  repeated IngressTLS tls = 2;
  repeated IngressRule rules = 3;
  optional string ingressClassName = 4;
}
message IngressBackend {
  optional core.TypedLocalObjectReference resource = 3;
  optional IngressServiceBackend service = 4;
}
message IngressServiceBackend {
  string name = 1;
  ServiceBackendPort port = 2;
}
message ServiceBackendPort {
  string name = 1;
  int32 number = 2;
}
message IngressTLS {
  repeated string hosts = 1;
  string secretName = 2;
}
message IngressRule {
  string host = 1;
  IngressRuleValue ingressRuleValue = 2 [(inline) = true];
}
message IngressRuleValue { optional HTTPIngressRuleValue http = 1; }
message HTTPIngressRuleValue { repeated HTTPIngressPath paths = 1; }
message HTTPIngressPath {
  string path = 1;
  IngressBackend backend = 2;
  optional string pathType = 3;
}
message IngressStatus { IngressLoadBalancerStatus loadBalancer = 1; }
message IngressLoadBalancerStatus { repeated IngressLoadBalancerIngress ingress = 1; }
message IngressLoadBalancerIngress {
  string ip = 1;
  string hostname = 2;
  repeated IngressPortStatus ports = 4;
}
message IngressPortStatus {
  int32 port = 1;
  string protocol = 2;
  optional string error = 3;
}
`;

export const RBAC_V1_PROTO = `
syntax = "proto3";
package rbac;

message PolicyRule {
  repeated string verbs = 1;
  repeated string apiGroups = 2;
  repeated string resources = 3;
  repeated string resourceNames = 4;
  repeated string nonResourceURLs = 5;
}
message Role {
  meta.ObjectMeta metadata = 1;
  repeated PolicyRule rules = 2;
}
message ClusterRole {
  meta.ObjectMeta metadata = 1;
  repeated PolicyRule rules = 2;
  optional AggregationRule aggregationRule = 3;
}
message AggregationRule { repeated meta.LabelSelector clusterRoleSelectors = 1; }
message Subject {
  string kind = 1;
  string apiGroup = 2;
  string name = 3;
  string namespace = 4;
}
message RoleRef {
  string apiGroup = 1;
  string kind = 2;
  string name = 3;
}
message RoleBinding {
  meta.ObjectMeta metadata = 1;
  repeated Subject subjects = 2;
  RoleRef roleRef = 3;
}
message ClusterRoleBinding {
  meta.ObjectMeta metadata = 1;
  repeated Subject subjects = 2;
  RoleRef roleRef = 3;
}
`;

export const AUTHENTICATION_V1_PROTO = `
syntax = "proto3";
package authentication;

// Go's ExtraValue is a named []string: its JSON is a bare array.
message ExtraValue { repeated string items = 1; }
message UserInfo {
  string username = 1;
  string uid = 2;
  repeated string groups = 3;
  map<string, ExtraValue> extra = 4;
}
message TokenRequest {
  meta.ObjectMeta metadata = 1;
  TokenRequestSpec spec = 2;
  TokenRequestStatus status = 3;
}
message TokenRequestSpec {
  repeated string audiences = 1;
  optional BoundObjectReference boundObjectRef = 3;
  optional int64 expirationSeconds = 4;
}
message BoundObjectReference {
  string kind = 1;
  string apiVersion = 2;
  string name = 3;
  string uid = 4;
}
message TokenRequestStatus {
  string token = 1 [(keep) = true];
  meta.Time expirationTimestamp = 2;
}
message SelfSubjectReview {
  meta.ObjectMeta metadata = 1;
  SelfSubjectReviewStatus status = 2;
}
message SelfSubjectReviewStatus { UserInfo userInfo = 1; }
message TokenReview {
  meta.ObjectMeta metadata = 1;
  TokenReviewSpec spec = 2;
  TokenReviewStatus status = 3;
}
message TokenReviewSpec {
  string token = 1;
  repeated string audiences = 2;
}
message TokenReviewStatus {
  bool authenticated = 1;
  UserInfo user = 2;
  string error = 3;
  repeated string audiences = 4;
}
`;

export const AUTHORIZATION_V1_PROTO = `
syntax = "proto3";
package authorization;

message ExtraValue { repeated string items = 1; }
message ResourceAttributes {
  string namespace = 1;
  string verb = 2;
  string group = 3;
  string version = 4;
  string resource = 5;
  string subresource = 6;
  string name = 7;
  optional FieldSelectorAttributes fieldSelector = 8;
  optional LabelSelectorAttributes labelSelector = 9;
}
message FieldSelectorAttributes {
  string rawSelector = 1;
  repeated meta.FieldSelectorRequirement requirements = 2;
}
message LabelSelectorAttributes {
  string rawSelector = 1;
  repeated meta.LabelSelectorRequirement requirements = 2;
}
message NonResourceAttributes {
  string path = 1;
  string verb = 2;
}
message SelfSubjectAccessReview {
  meta.ObjectMeta metadata = 1;
  SelfSubjectAccessReviewSpec spec = 2;
  SubjectAccessReviewStatus status = 3;
}
message SelfSubjectAccessReviewSpec {
  optional ResourceAttributes resourceAttributes = 1;
  optional NonResourceAttributes nonResourceAttributes = 2;
}
message SubjectAccessReview {
  meta.ObjectMeta metadata = 1;
  SubjectAccessReviewSpec spec = 2;
  SubjectAccessReviewStatus status = 3;
}
message SubjectAccessReviewSpec {
  optional ResourceAttributes resourceAttributes = 1;
  optional NonResourceAttributes nonResourceAttributes = 2;
  string user = 3;
  repeated string groups = 4;
  map<string, ExtraValue> extra = 5;
  string uid = 6;
}
message SubjectAccessReviewStatus {
  bool allowed = 1 [(keep) = true];
  string reason = 2;
  string evaluationError = 3;
  bool denied = 4;
}
`;
