// Printers for configuration and storage: config maps, secrets, service
// accounts, persistent volumes and claims, storage classes, resource quotas,
// CSI drivers and nodes, volume attachments.

import { bool, get, keyCount, obj, objs, optBool, optStr, str, strMap, strs, type Obj } from './access.js';
import { ageCol, col, nameCol, wide } from './columns.js';
import { accessModesString, byteCompare } from './format.js';
import { ageOf, isDeleting, nameOf } from './meta.js';
import { canonicalQuantity } from './quantity.js';
import type { TablePrinter } from './types.js';

export const configMapPrinter: TablePrinter = {
  columns: [nameCol(), col('Data', 'string', 'Number of data and binaryData keys.'), ageCol()],
  cells(o, now) {
    return [nameOf(o), keyCount(o, 'data') + keyCount(o, 'binaryData'), ageOf(o, now)];
  },
};

export const secretPrinter: TablePrinter = {
  columns: [nameCol(), col('Type', 'string', 'The secret type.'), col('Data', 'string', 'Number of data keys.'), ageCol()],
  cells(o, now) {
    return [nameOf(o), str(o, 'type'), keyCount(o, 'data'), ageOf(o, now)];
  },
};

export const serviceAccountPrinter: TablePrinter = {
  columns: [nameCol(), col('Secrets', 'string', 'Number of referenced secrets.'), ageCol()],
  cells(o, now) {
    return [nameOf(o), objs(o, 'secrets').length, ageOf(o, now)];
  },
};

const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/** The class of a PV or PVC: the legacy beta annotation wins over the field. */
function storageClassOf(o: Obj): string {
  const ann = strMap(o, 'metadata', 'annotations');
  if (BETA_CLASS_ANNOTATION in ann) return ann[BETA_CLASS_ANNOTATION];
  return str(o, 'spec', 'storageClassName');
}

export const persistentVolumePrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Capacity', 'string', 'Size of the volume.'),
    col('Access Modes', 'string', 'How the volume can be mounted.'),
    col('Reclaim Policy', 'string', 'What happens to the volume once released.'),
    col('Status', 'string', 'Phase of the volume.'),
    col('Claim', 'string', 'The claim bound to this volume.'),
    col('StorageClass', 'string', 'Storage class of the volume.'),
    col('VolumeAttributesClass', 'string', 'Volume attributes class of the volume.'),
    col('Reason', 'string', 'Reason for the phase, if any.'),
    ageCol(),
    wide('VolumeMode', 'string', 'Filesystem or Block.'),
  ],
  cells(o, now) {
    const claimRef = get(o, 'spec', 'claimRef');
    const claim = claimRef === undefined || claimRef === null ? '' : `${str(claimRef, 'namespace')}/${str(claimRef, 'name')}`;
    return [
      nameOf(o),
      canonicalQuantity(get(o, 'spec', 'capacity', 'storage')),
      accessModesString(strs(o, 'spec', 'accessModes')),
      str(o, 'spec', 'persistentVolumeReclaimPolicy'),
      isDeleting(o) ? 'Terminating' : str(o, 'status', 'phase'),
      claim,
      storageClassOf(o),
      optStr(o, 'spec', 'volumeAttributesClassName') ?? '<unset>',
      str(o, 'status', 'reason'),
      ageOf(o, now),
      optStr(o, 'spec', 'volumeMode') ?? '<unset>',
    ];
  },
};

export const persistentVolumeClaimPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Status', 'string', 'Phase of the claim.'),
    col('Volume', 'string', 'The volume bound to this claim.'),
    col('Capacity', 'string', 'Size of the bound volume.'),
    col('Access Modes', 'string', 'How the bound volume can be mounted.'),
    col('StorageClass', 'string', 'Storage class of the claim.'),
    col('VolumeAttributesClass', 'string', 'Volume attributes class of the claim.'),
    ageCol(),
    wide('VolumeMode', 'string', 'Filesystem or Block.'),
  ],
  cells(o, now) {
    const volumeName = str(o, 'spec', 'volumeName');
    // Capacity and modes are only shown once the claim names a volume.
    const bound = volumeName !== '';
    return [
      nameOf(o),
      isDeleting(o) ? 'Terminating' : str(o, 'status', 'phase'),
      volumeName,
      bound ? canonicalQuantity(get(o, 'status', 'capacity', 'storage')) : '',
      bound ? accessModesString(strs(o, 'status', 'accessModes')) : '',
      storageClassOf(o),
      optStr(o, 'spec', 'volumeAttributesClassName') ?? '<unset>',
      ageOf(o, now),
      optStr(o, 'spec', 'volumeMode') ?? '<unset>',
    ];
  },
};

const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

export const storageClassPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Provisioner', 'string', 'The volume plugin that provisions volumes.'),
    col('ReclaimPolicy', 'string', 'Reclaim policy of provisioned volumes.'),
    col('VolumeBindingMode', 'string', 'When volumes are bound and provisioned.'),
    col('AllowVolumeExpansion', 'string', 'Whether claims may be resized.'),
    ageCol(),
  ],
  cells(o, now) {
    const ann = strMap(o, 'metadata', 'annotations');
    const isDefault = DEFAULT_CLASS_ANNOTATIONS.some((a) => ann[a] === 'true');
    return [
      isDefault ? `${nameOf(o)} (default)` : nameOf(o),
      str(o, 'provisioner'),
      optStr(o, 'reclaimPolicy') ?? 'Delete',
      optStr(o, 'volumeBindingMode') ?? 'Immediate',
      bool(o, 'allowVolumeExpansion'),
      ageOf(o, now),
    ];
  },
};

export const resourceQuotaPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Request', 'string', 'Used and hard amounts of requests and object counts.'),
    col('Limit', 'string', 'Used and hard amounts of limits.'),
    ageCol(),
  ],
  cells(o, now) {
    const hard = obj(o, 'status', 'hard');
    const used = obj(o, 'status', 'used');
    const requests: string[] = [];
    const limits: string[] = [];
    for (const resource of Object.keys(hard).sort(byteCompare)) {
      const text = `${resource}: ${canonicalQuantity(used[resource] ?? '0')}/${canonicalQuantity(hard[resource])}`;
      const pieces = resource.split('.');
      (pieces.length > 1 && pieces[0] === 'limits' ? limits : requests).push(text);
    }
    return [nameOf(o), requests.join(', '), limits.join(', '), ageOf(o, now)];
  },
};

export const csiDriverPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('AttachRequired', 'boolean', 'Whether volumes need an attach step.'),
    col('PodInfoOnMount', 'boolean', 'Whether pod information is passed on mount.'),
    col('StorageCapacity', 'boolean', 'Whether the driver reports storage capacity.'),
    col('TokenRequests', 'string', 'Audiences of service account tokens passed to the driver.'),
    col('RequiresRepublish', 'boolean', 'Whether NodePublishVolume is called periodically.'),
    col('Modes', 'string', 'Supported volume lifecycle modes.'),
    ageCol(),
  ],
  cells(o, now) {
    const tokenRequests = get(o, 'spec', 'tokenRequests');
    const modes = strs(o, 'spec', 'volumeLifecycleModes').join(',');
    return [
      nameOf(o),
      optBool(o, 'spec', 'attachRequired') ?? true,
      bool(o, 'spec', 'podInfoOnMount'),
      bool(o, 'spec', 'storageCapacity'),
      Array.isArray(tokenRequests) ? objs(o, 'spec', 'tokenRequests').map((t) => str(t, 'audience')).join(',') : '<unset>',
      bool(o, 'spec', 'requiresRepublish'),
      modes || '<none>',
      ageOf(o, now),
    ];
  },
};

export const csiNodePrinter: TablePrinter = {
  columns: [nameCol(), col('Drivers', 'integer', 'Number of CSI drivers registered on the node.'), ageCol()],
  cells(o, now) {
    return [nameOf(o), objs(o, 'spec', 'drivers').length, ageOf(o, now)];
  },
};

export const volumeAttachmentPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Attacher', 'string', 'The attaching volume driver.', 0, 'name'),
    col('PV', 'string', 'The persistent volume being attached.'),
    col('Node', 'string', 'The node the volume is attached to.'),
    col('Attached', 'boolean', 'Whether the attach succeeded.'),
    ageCol(),
  ],
  cells(o, now) {
    return [
      nameOf(o),
      str(o, 'spec', 'attacher'),
      str(o, 'spec', 'source', 'persistentVolumeName'),
      str(o, 'spec', 'nodeName'),
      bool(o, 'status', 'attached'),
      ageOf(o, now),
    ];
  },
};
