// Which protobuf message carries each apiVersion/kind kubets can decode.
const KINDS: Readonly<Record<string, string>> = {
  'v1/Namespace': 'core.Namespace',
  'v1/ConfigMap': 'core.ConfigMap',
  'v1/Secret': 'core.Secret',
  'v1/ServiceAccount': 'core.ServiceAccount',
  'v1/Service': 'core.Service',
  'v1/Pod': 'core.Pod',
  'v1/ResourceQuota': 'core.ResourceQuota',
  'apps/v1/Deployment': 'apps.Deployment',
  'autoscaling/v2/HorizontalPodAutoscaler': 'autoscaling.HorizontalPodAutoscaler',
  'batch/v1/Job': 'batch.Job',
  'certificates.k8s.io/v1/CertificateSigningRequest': 'certificates.CertificateSigningRequest',
  'batch/v1/CronJob': 'batch.CronJob',
  'policy/v1/PodDisruptionBudget': 'policy.PodDisruptionBudget',
  'scheduling.k8s.io/v1/PriorityClass': 'scheduling.PriorityClass',
  'networking.k8s.io/v1/Ingress': 'networking.Ingress',
  'rbac.authorization.k8s.io/v1/Role': 'rbac.Role',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'rbac.ClusterRole',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'rbac.RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'rbac.ClusterRoleBinding',
  'authentication.k8s.io/v1/TokenRequest': 'authentication.TokenRequest',
  'authentication.k8s.io/v1/TokenReview': 'authentication.TokenReview',
  // SelfSubjectReview has the same shape in all three versions.
  'authentication.k8s.io/v1/SelfSubjectReview': 'authentication.SelfSubjectReview',
  'authentication.k8s.io/v1beta1/SelfSubjectReview': 'authentication.SelfSubjectReview',
  'authentication.k8s.io/v1alpha1/SelfSubjectReview': 'authentication.SelfSubjectReview',
  'authorization.k8s.io/v1/SelfSubjectAccessReview': 'authorization.SelfSubjectAccessReview',
  'authorization.k8s.io/v1/SubjectAccessReview': 'authorization.SubjectAccessReview',
  'authorization.k8s.io/v1/LocalSubjectAccessReview': 'authorization.SubjectAccessReview',
};

/** The message type name for apiVersion/kind, or undefined when kubets has no schema for it. */
export function messageTypeFor(apiVersion: string, kind: string): string | undefined {
  return Object.hasOwn(KINDS, `${apiVersion}/${kind}`) ? KINDS[`${apiVersion}/${kind}`] : undefined;
}

/** Every apiVersion/kind pair with a protobuf schema, e.g. for discovery or tests. */
export function protobufKinds(): Array<{ apiVersion: string; kind: string }> {
  return Object.keys(KINDS).map((key) => {
    const slash = key.lastIndexOf('/');
    return { apiVersion: key.slice(0, slash), kind: key.slice(slash + 1) };
  });
}
