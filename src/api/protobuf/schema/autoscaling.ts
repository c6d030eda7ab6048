// Schema of autoscaling/v2 (kubectl autoscale sends a HorizontalPodAutoscaler); see meta.ts for the conventions.
export const AUTOSCALING_V2_PROTO = `
syntax = "proto3";
package autoscaling;

message HorizontalPodAutoscaler {
  meta.ObjectMeta metadata = 1;
  HorizontalPodAutoscalerSpec spec = 2;
  HorizontalPodAutoscalerStatus status = 3;
}
message HorizontalPodAutoscalerSpec {
  CrossVersionObjectReference scaleTargetRef = 1;
  optional int32 minReplicas = 2;
  int32 maxReplicas = 3 [(keep) = true];
  repeated MetricSpec metrics = 4;
  optional HorizontalPodAutoscalerBehavior behavior = 5;
}
message CrossVersionObjectReference {
  string kind = 1;
  string name = 2;
  string apiVersion = 3;
}
message MetricSpec {
  string type = 1;
  optional ObjectMetricSource object = 2;
  optional PodsMetricSource pods = 3;
  optional ResourceMetricSource resource = 4;
  optional ExternalMetricSource external = 5;
  optional ContainerResourceMetricSource containerResource = 7;
}
message MetricTarget {
  string type = 1;
  optional resource.Quantity value = 2;
  optional resource.Quantity averageValue = 3;
  optional int32 averageUtilization = 4;
}
message MetricIdentifier {
  string name = 1;
  optional meta.LabelSelector selector = 2;
}
message ObjectMetricSource {
  CrossVersionObjectReference describedObject = 1;
  MetricTarget target = 2;
  MetricIdentifier metric = 3;
}
message PodsMetricSource {
  MetricIdentifier metric = 1;
  MetricTarget target = 2;
}
message ResourceMetricSource {
  string name = 1;
  MetricTarget target = 2;
}
message ContainerResourceMetricSource {
  string name = 1;
  MetricTarget target = 2;
  string container = 3;
}
message ExternalMetricSource {
  MetricIdentifier metric = 1;
  MetricTarget target = 2;
}
message HorizontalPodAutoscalerBehavior {
  optional HPAScalingRules scaleUp = 1;
  optional HPAScalingRules scaleDown = 2;
}
message HPAScalingRules {
  optional string selectPolicy = 1;
  repeated HPAScalingPolicy policies = 2;
  optional int32 stabilizationWindowSeconds = 3;
  optional resource.Quantity tolerance = 4;
}
message HPAScalingPolicy {
  string type = 1;
  int32 value = 2 [(keep) = true];
  int32 periodSeconds = 3 [(keep) = true];
}
message HorizontalPodAutoscalerStatus {
  optional int64 observedGeneration = 1;
  optional meta.Time lastScaleTime = 2;
  int32 currentReplicas = 3;
  int32 desiredReplicas = 4 [(keep) = true];
  repeated MetricStatus currentMetrics = 5;
  repeated HorizontalPodAutoscalerCondition conditions = 6;
}
message MetricStatus {
  string type = 1;
  optional ObjectMetricStatus object = 2;
  optional PodsMetricStatus pods = 3;
  optional ResourceMetricStatus resource = 4;
  optional ExternalMetricStatus external = 5;
  optional ContainerResourceMetricStatus containerResource = 7;
}
message MetricValueStatus {
  optional resource.Quantity value = 1;
  optional resource.Quantity averageValue = 2;
  optional int32 averageUtilization = 3;
}
message ObjectMetricStatus {
  MetricIdentifier metric = 1;
  MetricValueStatus current = 2;
  CrossVersionObjectReference describedObject = 3;
}
message PodsMetricStatus {
  MetricIdentifier metric = 1;
  MetricValueStatus current = 2;
}
message ResourceMetricStatus {
  string name = 1;
  MetricValueStatus current = 2;
}
message ContainerResourceMetricStatus {
  string name = 1;
  MetricValueStatus current = 2;
  string container = 3;
}
message ExternalMetricStatus {
  MetricIdentifier metric = 1;
  MetricValueStatus current = 2;
}
message HorizontalPodAutoscalerCondition {
  string type = 1;
  string status = 2;
  meta.Time lastTransitionTime = 3;
  string reason = 4;
  string message = 5;
  int64 observedGeneration = 6;
}
`;
