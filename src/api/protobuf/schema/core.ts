// Schema of the core/v1 messages kubectl can send (see meta.ts for the conventions).
// Field numbers are upstream's; the selection of messages is kubets's own.
export const CORE_V1_PROTO = `
syntax = "proto3";
package core;

message LocalObjectReference { string name = 1; }

message ObjectReference {
  string kind = 1;
  string namespace = 2;
  string name = 3;
  string uid = 4;
  string apiVersion = 5;
  string resourceVersion = 6;
  string fieldPath = 7;
}

message TypedLocalObjectReference {
  optional string apiGroup = 1;
  string kind = 2;
  string name = 3;
}

message SecretReference {
  string name = 1;
  string namespace = 2;
}

message Namespace {
  meta.ObjectMeta metadata = 1;
  NamespaceSpec spec = 2;
  NamespaceStatus status = 3;
}
message NamespaceSpec { repeated string finalizers = 1; }
message NamespaceStatus {
  string phase = 1;
  repeated NamespaceCondition conditions = 2;
}
message NamespaceCondition {
  string type = 1;
  string status = 2;
  meta.Time lastTransitionTime = 4;
  string reason = 5;
  string message = 6;
}

message ConfigMap {
  meta.ObjectMeta metadata = 1;
  map<string, string> data = 2;
  map<string, bytes> binaryData = 3;
  optional bool immutable = 4;
}

message Secret {
  meta.ObjectMeta metadata = 1;
  map<string, bytes> data = 2;
  string type = 3;
  map<string, string> stringData = 4;
  optional bool immutable = 5;
}

message ServiceAccount {
  meta.ObjectMeta metadata = 1;
  repeated ObjectReference secrets = 2;
  repeated LocalObjectReference imagePullSecrets = 3;
  optional bool automountServiceAccountToken = 4;
}

message ResourceQuota {
  meta.ObjectMeta metadata = 1;
  ResourceQuotaSpec spec = 2;
  ResourceQuotaStatus status = 3;
}
message ResourceQuotaSpec {
  map<string, resource.Quantity> hard = 1;
  repeated string scopes = 2;
  optional ScopeSelector scopeSelector = 3;
}
message ResourceQuotaStatus {
  map<string, resource.Quantity> hard = 1;
  map<string, resource.Quantity> used = 2;
}
message ScopeSelector { repeated ScopedResourceSelectorRequirement matchExpressions = 1; }
message ScopedResourceSelectorRequirement {
  string scopeName = 1;
  string operator = 2;
  repeated string values = 3;
}

message Service {
  meta.ObjectMeta metadata = 1;
  ServiceSpec spec = 2;
  ServiceStatus status = 3;
}
message ServiceSpec {
  repeated ServicePort ports = 1;
  map<string, string> selector = 2;
  string clusterIP = 3;
  string type = 4;
  repeated string externalIPs = 5;
  string sessionAffinity = 7;
  string loadBalancerIP = 8;
  repeated string loadBalancerSourceRanges = 9;
  string externalName = 10;
  string externalTrafficPolicy = 11;
  int32 healthCheckNodePort = 12;
  bool publishNotReadyAddresses = 13;
  optional SessionAffinityConfig sessionAffinityConfig = 14;
  optional string ipFamilyPolicy = 17;
  repeated string clusterIPs = 18;
  repeated string ipFamilies = 19;
  optional bool allocateLoadBalancerNodePorts = 20;
  optional string loadBalancerClass = 21;
  optional string internalTrafficPolicy = 22;
  optional string trafficDistribution = 23;
}
message ServicePort {
  string name = 1;
  string protocol = 2;
  int32 port = 3 [(keep) = true];
  intstr.IntOrString targetPort = 4;
  int32 nodePort = 5;
  optional string appProtocol = 6;
}
message SessionAffinityConfig { optional ClientIPConfig clientIP = 1; }
message ClientIPConfig { optional int32 timeoutSeconds = 1; }
message ServiceStatus {
  LoadBalancerStatus loadBalancer = 1;
  repeated meta.Condition conditions = 2;
}
message LoadBalancerStatus { repeated LoadBalancerIngress ingress = 1; }
message LoadBalancerIngress {
  string ip = 1;
  string hostname = 2;
  optional string ipMode = 3;
  repeated PortStatus ports = 4;
}
message PortStatus {
  int32 port = 1;
  string protocol = 2;
  optional string error = 3;
}

message Pod {
  meta.ObjectMeta metadata = 1;
  PodSpec spec = 2;
  PodStatus status = 3;
}
message PodTemplateSpec {
  meta.ObjectMeta metadata = 1;
  PodSpec spec = 2;
}

message PodSpec {
  repeated Volume volumes = 1;
  repeated Container containers = 2;
  string restartPolicy = 3;
  optional int64 terminationGracePeriodSeconds = 4;
  optional int64 activeDeadlineSeconds = 5;
  string dnsPolicy = 6;
  map<string, string> nodeSelector = 7;
  string serviceAccountName = 8;
  string serviceAccount = 9;
  string nodeName = 10;
  bool hostNetwork = 11;
  bool hostPID = 12;
  bool hostIPC = 13;
  optional PodSecurityContext securityContext = 14;
  repeated LocalObjectReference imagePullSecrets = 15;
  string hostname = 16;
  string subdomain = 17;
  optional Affinity affinity = 18;
  string schedulerName = 19;
  repeated Container initContainers = 20;
  optional bool automountServiceAccountToken = 21;
  repeated Toleration tolerations = 22;
  repeated HostAlias hostAliases = 23;
  string priorityClassName = 24;
  optional int32 priority = 25;
  optional PodDNSConfig dnsConfig = 26;
  optional bool shareProcessNamespace = 27;
  repeated PodReadinessGate readinessGates = 28;
  optional string runtimeClassName = 29;
  optional bool enableServiceLinks = 30;
  optional string preemptionPolicy = 31;
  map<string, resource.Quantity> overhead = 32;
  repeated TopologySpreadConstraint topologySpreadConstraints = 33;
  repeated EphemeralContainer ephemeralContainers = 34;
  optional bool setHostnameAsFQDN = 35;
  optional PodOS os = 36;
  optional bool hostUsers = 37;
  repeated PodSchedulingGate schedulingGates = 38;
  repeated PodResourceClaim resourceClaims = 39;
  optional ResourceRequirements resources = 40;
  optional string hostnameOverride = 41;
}

message PodOS { string name = 1; }
message PodSchedulingGate { string name = 1; }
message PodReadinessGate { string conditionType = 1; }
message PodResourceClaim {
  string name = 1;
  optional string resourceClaimName = 3;
  optional string resourceClaimTemplateName = 4;
}
message HostAlias {
  string ip = 1;
  repeated string hostnames = 2;
}
message PodDNSConfig {
  repeated string nameservers = 1;
  repeated string searches = 2;
  repeated PodDNSConfigOption options = 3;
}
message PodDNSConfigOption {
  string name = 1;
  optional string value = 2;
}
message Toleration {
  string key = 1;
  string operator = 2;
  string value = 3;
  string effect = 4;
  optional int64 tolerationSeconds = 5;
}
message TopologySpreadConstraint {
  int32 maxSkew = 1;
  string topologyKey = 2;
  string whenUnsatisfiable = 3;
  optional meta.LabelSelector labelSelector = 4;
  optional int32 minDomains = 5;
  optional string nodeAffinityPolicy = 6;
  optional string nodeTaintsPolicy = 7;
  repeated string matchLabelKeys = 8;
}

message Affinity {
  optional NodeAffinity nodeAffinity = 1;
  optional PodAffinity podAffinity = 2;
  optional PodAntiAffinity podAntiAffinity = 3;
}
message NodeAffinity {
  optional NodeSelector requiredDuringSchedulingIgnoredDuringExecution = 1;
  repeated PreferredSchedulingTerm preferredDuringSchedulingIgnoredDuringExecution = 2;
}
message NodeSelector { repeated NodeSelectorTerm nodeSelectorTerms = 1; }
message NodeSelectorTerm {
  repeated NodeSelectorRequirement matchExpressions = 1;
  repeated NodeSelectorRequirement matchFields = 2;
}
message NodeSelectorRequirement {
  string key = 1;
  string operator = 2;
  repeated string values = 3;
}
message PreferredSchedulingTerm {
  int32 weight = 1;
  NodeSelectorTerm preference = 2;
}
message PodAffinity {
  repeated PodAffinityTerm requiredDuringSchedulingIgnoredDuringExecution = 1;
  repeated WeightedPodAffinityTerm preferredDuringSchedulingIgnoredDuringExecution = 2;
}
message PodAntiAffinity {
  repeated PodAffinityTerm requiredDuringSchedulingIgnoredDuringExecution = 1;
  repeated WeightedPodAffinityTerm preferredDuringSchedulingIgnoredDuringExecution = 2;
}
message PodAffinityTerm {
  optional meta.LabelSelector labelSelector = 1;
  repeated string namespaces = 2;
  string topologyKey = 3;
  optional meta.LabelSelector namespaceSelector = 4;
  repeated string matchLabelKeys = 5;
  repeated string mismatchLabelKeys = 6;
}
message WeightedPodAffinityTerm {
  int32 weight = 1;
  PodAffinityTerm podAffinityTerm = 2;
}

message PodSecurityContext {
  optional SELinuxOptions seLinuxOptions = 1;
  optional int64 runAsUser = 2;
  optional bool runAsNonRoot = 3;
  repeated int64 supplementalGroups = 4;
  optional int64 fsGroup = 5;
  optional int64 runAsGroup = 6;
  repeated Sysctl sysctls = 7;
  optional WindowsSecurityContextOptions windowsOptions = 8;
  optional string fsGroupChangePolicy = 9;
  optional SeccompProfile seccompProfile = 10;
  optional AppArmorProfile appArmorProfile = 11;
  optional string supplementalGroupsPolicy = 12;
  optional string seLinuxChangePolicy = 13;
}
message SecurityContext {
  optional Capabilities capabilities = 1;
  optional bool privileged = 2;
  optional SELinuxOptions seLinuxOptions = 3;
  optional int64 runAsUser = 4;
  optional bool runAsNonRoot = 5;
  optional bool readOnlyRootFilesystem = 6;
  optional bool allowPrivilegeEscalation = 7;
  optional int64 runAsGroup = 8;
  optional string procMount = 9;
  optional WindowsSecurityContextOptions windowsOptions = 10;
  optional SeccompProfile seccompProfile = 11;
  optional AppArmorProfile appArmorProfile = 12;
}
message Capabilities {
  repeated string add = 1;
  repeated string drop = 2;
}
message SELinuxOptions {
  string user = 1;
  string role = 2;
  string type = 3;
  string level = 4;
}
message WindowsSecurityContextOptions {
  optional string gmsaCredentialSpecName = 1;
  optional string gmsaCredentialSpec = 2;
  optional string runAsUserName = 3;
  optional bool hostProcess = 4;
}
message SeccompProfile {
  string type = 1;
  optional string localhostProfile = 2;
}
message AppArmorProfile {
  string type = 1;
  optional string localhostProfile = 2;
}
message Sysctl {
  string name = 1;
  string value = 2;
}

message Container {
  string name = 1;
  string image = 2;
  repeated string command = 3;
  repeated string args = 4;
  string workingDir = 5;
  repeated ContainerPort ports = 6;
  repeated EnvVar env = 7;
  ResourceRequirements resources = 8;
  repeated VolumeMount volumeMounts = 9;
  optional Probe livenessProbe = 10;
  optional Probe readinessProbe = 11;
  optional Lifecycle lifecycle = 12;
  string terminationMessagePath = 13;
  string imagePullPolicy = 14;
  optional SecurityContext securityContext = 15;
  bool stdin = 16;
  bool stdinOnce = 17;
  bool tty = 18;
  repeated EnvFromSource envFrom = 19;
  string terminationMessagePolicy = 20;
  repeated VolumeDevice volumeDevices = 21;
  optional Probe startupProbe = 22;
  repeated ContainerResizePolicy resizePolicy = 23;
  optional string restartPolicy = 24;
}

// Same fields as Container, inlined into EphemeralContainer's JSON.
message EphemeralContainerCommon {
  string name = 1;
  string image = 2;
  repeated string command = 3;
  repeated string args = 4;
  string workingDir = 5;
  repeated ContainerPort ports = 6;
  repeated EnvVar env = 7;
  ResourceRequirements resources = 8;
  repeated VolumeMount volumeMounts = 9;
  optional Probe livenessProbe = 10;
  optional Probe readinessProbe = 11;
  optional Lifecycle lifecycle = 12;
  string terminationMessagePath = 13;
  string imagePullPolicy = 14;
  optional SecurityContext securityContext = 15;
  bool stdin = 16;
  bool stdinOnce = 17;
  bool tty = 18;
  repeated EnvFromSource envFrom = 19;
  string terminationMessagePolicy = 20;
  repeated VolumeDevice volumeDevices = 21;
  optional Probe startupProbe = 22;
  repeated ContainerResizePolicy resizePolicy = 23;
  optional string restartPolicy = 24;
}
message EphemeralContainer {
  EphemeralContainerCommon ephemeralContainerCommon = 1 [(inline) = true];
  string targetContainerName = 2;
}

message ContainerPort {
  string name = 1;
  int32 hostPort = 2;
  int32 containerPort = 3 [(keep) = true];
  string protocol = 4;
  string hostIP = 5;
}
message ContainerResizePolicy {
  string resourceName = 1;
  string restartPolicy = 2;
}
message ResourceRequirements {
  map<string, resource.Quantity> limits = 1;
  map<string, resource.Quantity> requests = 2;
  repeated ResourceClaim claims = 3;
}
message ResourceClaim {
  string name = 1;
  string request = 2;
}
message VolumeMount {
  string name = 1;
  bool readOnly = 2;
  string mountPath = 3;
  string subPath = 4;
  optional string mountPropagation = 5;
  string subPathExpr = 6;
  optional string recursiveReadOnly = 7;
}
message VolumeDevice {
  string name = 1;
  string devicePath = 2;
}

message EnvVar {
  string name = 1;
  string value = 2;
  optional EnvVarSource valueFrom = 3;
}
message EnvVarSource {
  optional ObjectFieldSelector fieldRef = 1;
  optional ResourceFieldSelector resourceFieldRef = 2;
  optional ConfigMapKeySelector configMapKeyRef = 3;
  optional SecretKeySelector secretKeyRef = 4;
  optional FileKeySelector fileKeyRef = 5;
}
message ObjectFieldSelector {
  string apiVersion = 1;
  string fieldPath = 2;
}
message ResourceFieldSelector {
  string containerName = 1;
  string resource = 2;
  resource.Quantity divisor = 3;
}
message ConfigMapKeySelector {
  LocalObjectReference localObjectReference = 1 [(inline) = true];
  string key = 2;
  optional bool optional = 3;
}
message SecretKeySelector {
  LocalObjectReference localObjectReference = 1 [(inline) = true];
  string key = 2;
  optional bool optional = 3;
}
message FileKeySelector {
  string volumeName = 1;
  string path = 2;
  string key = 3;
  optional bool optional = 4;
}
message EnvFromSource {
  string prefix = 1;
  optional ConfigMapEnvSource configMapRef = 2;
  optional SecretEnvSource secretRef = 3;
}
message ConfigMapEnvSource {
  LocalObjectReference localObjectReference = 1 [(inline) = true];
  optional bool optional = 2;
}
message SecretEnvSource {
  LocalObjectReference localObjectReference = 1 [(inline) = true];
  optional bool optional = 2;
}

message Probe {
  ProbeHandler handler = 1 [(inline) = true];
  int32 initialDelaySeconds = 2;
  int32 timeoutSeconds = 3;
  int32 periodSeconds = 4;
  int32 successThreshold = 5;
  int32 failureThreshold = 6;
  optional int64 terminationGracePeriodSeconds = 7;
}
message ProbeHandler {
  optional ExecAction exec = 1;
  optional HTTPGetAction httpGet = 2;
  optional TCPSocketAction tcpSocket = 3;
  optional GRPCAction grpc = 4;
}
message Lifecycle {
  optional LifecycleHandler postStart = 1;
  optional LifecycleHandler preStop = 2;
  optional string stopSignal = 3;
}
message LifecycleHandler {
  optional ExecAction exec = 1;
  optional HTTPGetAction httpGet = 2;
  optional TCPSocketAction tcpSocket = 3;
  optional SleepAction sleep = 4;
}
message ExecAction { repeated string command = 1; }
message HTTPGetAction {
  string path = 1;
  intstr.IntOrString port = 2;
  string host = 3;
  string scheme = 4;
  repeated HTTPHeader httpHeaders = 5;
}
message HTTPHeader {
  string name = 1;
  string value = 2;
}
message TCPSocketAction {
  intstr.IntOrString port = 1;
  string host = 2;
}
message GRPCAction {
  int32 port = 1;
  optional string service = 2;
}
message SleepAction { int64 seconds = 1; }

message Volume {
  string name = 1;
  VolumeSource volumeSource = 2 [(inline) = true];
}
message VolumeSource {
  optional HostPathVolumeSource hostPath = 1;
  optional EmptyDirVolumeSource emptyDir = 2;
  optional GitRepoVolumeSource gitRepo = 5;
  optional SecretVolumeSource secret = 6;
  optional NFSVolumeSource nfs = 7;
  optional ISCSIVolumeSource iscsi = 8;
  optional PersistentVolumeClaimVolumeSource persistentVolumeClaim = 10;
  optional DownwardAPIVolumeSource downwardAPI = 16;
  optional FCVolumeSource fc = 17;
  optional ConfigMapVolumeSource configMap = 19;
  optional ProjectedVolumeSource projected = 26;
  optional CSIVolumeSource csi = 28;
  optional EphemeralVolumeSource ephemeral = 29;
  optional ImageVolumeSource image = 30;
}
message HostPathVolumeSource {
  string path = 1;
  optional string type = 2;
}
message EmptyDirVolumeSource {
  string medium = 1;
  optional resource.Quantity sizeLimit = 2;
}
message GitRepoVolumeSource {
  string repository = 1;
  string revision = 2;
  string directory = 3;
}
message SecretVolumeSource {
  string secretName = 1;
  repeated KeyToPath items = 2;
  optional int32 defaultMode = 3;
  optional bool optional = 4;
}
message ConfigMapVolumeSource {
  LocalObjectReference localObjectReference = 1 [(inline) = true];
  repeated KeyToPath items = 2;
  optional int32 defaultMode = 3;
  optional bool optional = 4;
}
message KeyToPath {
  string key = 1;
  string path = 2;
  optional int32 mode = 3;
}
message NFSVolumeSource {
  string server = 1;
  string path = 2;
  bool readOnly = 3;
}
message ISCSIVolumeSource {
  string targetPortal = 1;
  string iqn = 2;
  int32 lun = 3;
  string iscsiInterface = 4;
  string fsType = 5;
  bool readOnly = 6;
  repeated string portals = 7;
  bool chapAuthDiscovery = 8;
  optional LocalObjectReference secretRef = 10;
  bool chapAuthSession = 11;
  optional string initiatorName = 12;
}
message FCVolumeSource {
  repeated string targetWWNs = 1;
  optional int32 lun = 2;
  string fsType = 3;
  bool readOnly = 4;
  repeated string wwids = 5;
}
message PersistentVolumeClaimVolumeSource {
  string claimName = 1;
  bool readOnly = 2;
}
message DownwardAPIVolumeSource {
  repeated DownwardAPIVolumeFile items = 1;
  optional int32 defaultMode = 2;
}
message DownwardAPIVolumeFile {
  string path = 1;
  optional ObjectFieldSelector fieldRef = 2;
  optional ResourceFieldSelector resourceFieldRef = 3;
  optional int32 mode = 4;
}
message ProjectedVolumeSource {
  repeated VolumeProjection sources = 1;
  optional int32 defaultMode = 2;
}
message VolumeProjection {
  optional SecretProjection secret = 1;
  optional DownwardAPIProjection downwardAPI = 2;
  optional ConfigMapProjection configMap = 3;
  optional ServiceAccountTokenProjection serviceAccountToken = 4;
  optional ClusterTrustBundleProjection clusterTrustBundle = 5;
}
message SecretProjection {
  LocalObjectReference localObjectReference = 1 [(inline) = true];
  repeated KeyToPath items = 2;
  optional bool optional = 4;
}
message ConfigMapProjection {
  LocalObjectReference localObjectReference = 1 [(inline) = true];
  repeated KeyToPath items = 2;
  optional bool optional = 4;
}
message DownwardAPIProjection { repeated DownwardAPIVolumeFile items = 1; }
message ServiceAccountTokenProjection {
  string audience = 1;
  optional int64 expirationSeconds = 2;
  string path = 3;
}
message ClusterTrustBundleProjection {
  optional string name = 1;
  optional string signerName = 2;
  optional meta.LabelSelector labelSelector = 3;
  string path = 4;
  optional bool optional = 5;
}
message CSIVolumeSource {
  string driver = 1;
  optional bool readOnly = 2;
  optional string fsType = 3;
  map<string, string> volumeAttributes = 4;
  optional LocalObjectReference nodePublishSecretRef = 5;
}
message EphemeralVolumeSource { optional PersistentVolumeClaimTemplate volumeClaimTemplate = 1; }
message PersistentVolumeClaimTemplate {
  meta.ObjectMeta metadata = 1;
  PersistentVolumeClaimSpec spec = 2;
}
message PersistentVolumeClaimSpec {
  repeated string accessModes = 1;
  VolumeResourceRequirements resources = 2;
  string volumeName = 3;
  optional meta.LabelSelector selector = 4;
  optional string storageClassName = 5;
  optional string volumeMode = 6;
  optional TypedLocalObjectReference dataSource = 7;
  optional TypedObjectReference dataSourceRef = 8;
  optional string volumeAttributesClassName = 9;
}
message VolumeResourceRequirements {
  map<string, resource.Quantity> limits = 1;
  map<string, resource.Quantity> requests = 2;
}
message TypedObjectReference {
  optional string apiGroup = 1;
  string kind = 2;
  string name = 3;
  optional string namespace = 4;
}
message ImageVolumeSource {
  string reference = 1;
  string pullPolicy = 2;
}

message PodStatus {
  string phase = 1;
  repeated PodCondition conditions = 2;
  string message = 3;
  string reason = 4;
  string hostIP = 5;
  string podIP = 6;
  optional meta.Time startTime = 7;
  repeated ContainerStatus containerStatuses = 8;
  string qosClass = 9;
  repeated ContainerStatus initContainerStatuses = 10;
  string nominatedNodeName = 11;
  repeated PodIP podIPs = 12;
  repeated ContainerStatus ephemeralContainerStatuses = 13;
  string resize = 14;
  repeated HostIP hostIPs = 16;
  int64 observedGeneration = 17;
}
message PodIP { string ip = 1; }
message HostIP { string ip = 1; }
message PodCondition {
  string type = 1;
  string status = 2;
  meta.Time lastProbeTime = 3;
  meta.Time lastTransitionTime = 4;
  string reason = 5;
  string message = 6;
  int64 observedGeneration = 7;
}
message ContainerStatus {
  string name = 1;
  ContainerState state = 2;
  ContainerState lastState = 3;
  bool ready = 4 [(keep) = true];
  int32 restartCount = 5 [(keep) = true];
  string image = 6 [(keep) = true];
  string imageID = 7 [(keep) = true];
  string containerID = 8;
  optional bool started = 9;
  map<string, resource.Quantity> allocatedResources = 10;
  optional ResourceRequirements resources = 11;
  optional string stopSignal = 15;
}
message ContainerState {
  optional ContainerStateWaiting waiting = 1;
  optional ContainerStateRunning running = 2;
  optional ContainerStateTerminated terminated = 3;
}
message ContainerStateWaiting {
  string reason = 1;
  string message = 2;
}
message ContainerStateRunning { meta.Time startedAt = 1; }
message ContainerStateTerminated {
  int32 exitCode = 1 [(keep) = true];
  int32 signal = 2;
  string reason = 3;
  string message = 4;
  meta.Time startedAt = 5;
  meta.Time finishedAt = 6;
  string containerID = 7;
}
`;
