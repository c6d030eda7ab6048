// The built-in `local-path` StorageClass: volumes are directories on the
// node's disk, made by the local-path provisioner controller.
import type { KubeObject } from '../../api/meta.js';

export const LOCAL_PATH_CLASS = 'local-path';
export const LOCAL_PATH_PROVISIONER = 'kubets.io/local-path';

/**
 * Immediate binding: our scheduler has no volume-binding step that would set
 * `volume.kubernetes.io/selected-node`, which WaitForFirstConsumer needs. The
 * PV is a hostPath that the kubelet of whichever node runs the pod creates.
 */
export function localPathStorageClass(): KubeObject {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: LOCAL_PATH_CLASS, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: LOCAL_PATH_PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  } as KubeObject;
}
