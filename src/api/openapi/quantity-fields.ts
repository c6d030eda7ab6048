// Fields whose upstream type is resource.Quantity. client-node types them as
// plain strings, but clients may send numbers (`cpu: 1`), so the schema must
// say Quantity. Keyed "<Kind>.<field>" regardless of group and version:
// the kind names involved are unique to resource-bearing types.
export const QUANTITY_FIELDS: ReadonlySet<string> = new Set([
  'ResourceRequirements.limits',
  'ResourceRequirements.requests',
  'VolumeResourceRequirements.limits',
  'VolumeResourceRequirements.requests',
  'LimitRangeItem.default',
  'LimitRangeItem.defaultRequest',
  'LimitRangeItem.max',
  'LimitRangeItem.maxLimitRequestRatio',
  'LimitRangeItem.min',
  'NodeStatus.allocatable',
  'NodeStatus.capacity',
  'Overhead.podFixed',
  'PodSpec.overhead',
  'PersistentVolumeSpec.capacity',
  'PersistentVolumeClaimStatus.allocatedResources',
  'PersistentVolumeClaimStatus.capacity',
  'ResourceQuotaSpec.hard',
  'ResourceQuotaStatus.hard',
  'ResourceQuotaStatus.used',
  'ContainerStatus.allocatedResources',
  'EmptyDirVolumeSource.sizeLimit',
  'ResourceFieldSelector.divisor',
  'CSIStorageCapacity.capacity',
  'CSIStorageCapacity.maximumVolumeSize',
  'MetricTarget.averageValue',
  'MetricTarget.value',
  'MetricValueStatus.averageValue',
  'MetricValueStatus.value',
  'DeviceCapacity.value',
  'Counter.value',
  'CapacityRequirements.requests',
  'CapacityRequestPolicy.default',
  'CapacityRequestPolicy.validValues',
  'CapacityRequestPolicyRange.min',
  'CapacityRequestPolicyRange.max',
  'CapacityRequestPolicyRange.step',
  'DeviceRequestAllocationResult.consumedCapacity',
  'NamedResourcesAttribute.quantity',
]);

export function isQuantityField(kind: string, field: string): boolean {
  return QUANTITY_FIELDS.has(`${kind}.${field}`);
}
