// Printers for cluster-level and bookkeeping objects: namespaces, nodes,
// events, leases, priority classes, runtime classes, certificate signing
// requests, API services and admission webhook configurations.

import { bool, get, isObj, num, obj, objs, optNum, str, strMap, type Obj } from './access.js';
import { ageCol, col, nameCol, wide } from './columns.js';
import { humanDuration, timestampSince } from './duration.js';
import { byteCompare } from './format.js';
import { ageOf, nameOf } from './meta.js';
import type { TablePrinter } from './types.js';

export const namespacePrinter: TablePrinter = {
  columns: [nameCol(), col('Status', 'string', 'Lifecycle phase of the namespace.'), ageCol()],
  cells(o, now) {
    return [nameOf(o), str(o, 'status', 'phase'), ageOf(o, now)];
  },
};

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const LEGACY_ROLE_LABEL = 'kubernetes.io/role';

function nodeRoles(o: Obj): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(strMap(o, 'metadata', 'labels'))) {
    if (k.startsWith(NODE_ROLE_PREFIX)) {
      const role = k.slice(NODE_ROLE_PREFIX.length);
      if (role !== '') roles.add(role);
    } else if (k === LEGACY_ROLE_LABEL && v !== '') {
      roles.add(v);
    }
  }
  const list = [...roles].sort(byteCompare);
  return list.length > 0 ? list.join(',') : '<none>';
}

function nodeStatus(o: Obj): string {
  const status: string[] = [];
  // Later duplicates of a condition type win, as upstream builds a map.
  const ready = objs(o, 'status', 'conditions').filter((c) => str(c, 'type') === 'Ready').pop();
  if (ready) status.push(str(ready, 'status') === 'True' ? 'Ready' : 'NotReady');
  else status.push('Unknown');
  if (bool(o, 'spec', 'unschedulable')) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeAddress(o: Obj, type: string): string {
  const a = objs(o, 'status', 'addresses').find((x) => str(x, 'type') === type);
  return a ? str(a, 'address') : '<none>';
}

export const nodePrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Status', 'string', 'Readiness of the node, and whether scheduling is disabled.'),
    col('Roles', 'string', 'Roles from the node-role.kubernetes.io labels.'),
    ageCol(),
    col('Version', 'string', 'Version of the kubelet.'),
    wide('Internal-IP', 'string', 'The node internal IP.'),
    wide('External-IP', 'string', 'The node external IP.'),
    wide('OS-Image', 'string', 'The operating system image.'),
    wide('Kernel-Version', 'string', 'The kernel version.'),
    wide('Container-Runtime', 'string', 'The container runtime and its version.'),
  ],
  cells(o, now) {
    const info = obj(o, 'status', 'nodeInfo');
    return [
      nameOf(o),
      nodeStatus(o),
      nodeRoles(o),
      ageOf(o, now),
      str(info, 'kubeletVersion'),
      nodeAddress(o, 'InternalIP'),
      nodeAddress(o, 'ExternalIP'),
      str(info, 'osImage') || '<unknown>',
      str(info, 'kernelVersion') || '<unknown>',
      str(info, 'containerRuntimeVersion') || '<unknown>',
    ];
  },
};

/** The core/v1 Event fields the printer reads, from either events API. */
interface EventView {
  name: string;
  firstTimestamp: unknown;
  lastTimestamp: unknown;
  eventTime: unknown;
  series: Obj | undefined;
  count: number;
  involved: Obj;
  type: string;
  reason: string;
  message: string;
  sourceComponent: string;
  sourceHost: string;
  reportingController: string;
  reportingInstance: string;
}

function eventView(o: Obj, group: string): EventView {
  const series = get(o, 'series');
  const common = {
    name: nameOf(o),
    eventTime: get(o, 'eventTime'),
    series: isObj(series) ? series : undefined,
    type: str(o, 'type'),
    reason: str(o, 'reason'),
    reportingController: str(o, group === 'events.k8s.io' ? 'reportingController' : 'reportingComponent'),
    reportingInstance: str(o, 'reportingInstance'),
  };
  if (group === 'events.k8s.io') {
    return {
      ...common,
      firstTimestamp: get(o, 'deprecatedFirstTimestamp'),
      lastTimestamp: get(o, 'deprecatedLastTimestamp'),
      count: num(o, 'deprecatedCount'),
      involved: obj(o, 'regarding'),
      message: str(o, 'note'),
      sourceComponent: str(o, 'deprecatedSource', 'component'),
      sourceHost: str(o, 'deprecatedSource', 'host'),
    };
  }
  return {
    ...common,
    firstTimestamp: get(o, 'firstTimestamp'),
    lastTimestamp: get(o, 'lastTimestamp'),
    count: num(o, 'count'),
    involved: obj(o, 'involvedObject'),
    message: str(o, 'message'),
    sourceComponent: str(o, 'source', 'component'),
    sourceHost: str(o, 'source', 'host'),
  };
}

function isSet(ts: unknown): boolean {
  return typeof ts === 'string' && ts !== '';
}

function eventCells(e: EventView, now: Date): unknown[] {
  const first = isSet(e.firstTimestamp) ? timestampSince(e.firstTimestamp, now) : timestampSince(e.eventTime, now);
  let last = isSet(e.lastTimestamp) ? timestampSince(e.lastTimestamp, now) : first;
  let count = e.count;
  if (e.series) {
    last = timestampSince(get(e.series, 'lastObservedTime'), now);
    count = num(e.series, 'count');
  } else if (count === 0) {
    count = 1; // singleton events carry no count in the new API
  }
  const kind = str(e.involved, 'kind').toLowerCase();
  const involvedName = str(e.involved, 'name');
  const target = involvedName !== '' ? `${kind}/${involvedName}` : kind;
  const component = e.sourceComponent || e.reportingController;
  const host = e.sourceHost || e.reportingInstance;
  const source = host === '' ? component : `${component}, ${host}`;
  return [last, e.type, e.reason, target, str(e.involved, 'fieldPath'), source, e.message.trim(), first, count, e.name];
}

const eventColumns = () => [
  col('Last Seen', 'string', 'Time since the event was last observed.'),
  col('Type', 'string', 'Normal or Warning.'),
  col('Reason', 'string', 'Short machine-readable reason.'),
  col('Object', 'string', 'The object the event is about.'),
  wide('Subobject', 'string', 'Part of the object the event is about.'),
  wide('Source', 'string', 'Component that reported the event.'),
  col('Message', 'string', 'Human-readable description.'),
  wide('First Seen', 'string', 'Time since the event was first observed.'),
  wide('Count', 'string', 'Number of occurrences.'),
  { ...wide('Name', 'string', 'Name of the event object.'), format: 'name' },
];

export const eventPrinter: TablePrinter = {
  columns: eventColumns(),
  cells: (o, now) => eventCells(eventView(o, ''), now),
};

export const eventsV1Printer: TablePrinter = {
  columns: eventColumns(),
  cells: (o, now) => eventCells(eventView(o, 'events.k8s.io'), now),
};

export const leasePrinter: TablePrinter = {
  columns: [nameCol(), col('Holder', 'string', 'Current holder of the lease.'), ageCol()],
  cells(o, now) {
    return [nameOf(o), str(o, 'spec', 'holderIdentity'), ageOf(o, now)];
  },
};

export const priorityClassPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Value', 'integer', 'Priority of pods using this class.'),
    col('Global-Default', 'boolean', 'Whether pods without a class get this one.'),
    ageCol(),
    wide('PreemptionPolicy', 'string', 'Whether pods of this class may preempt others.'),
  ],
  cells(o, now) {
    return [nameOf(o), num(o, 'value'), bool(o, 'globalDefault'), ageOf(o, now), str(o, 'preemptionPolicy')];
  },
};

export const runtimeClassPrinter: TablePrinter = {
  columns: [nameCol(), col('Handler', 'string', 'The CRI handler.'), ageCol()],
  cells(o, now) {
    return [nameOf(o), str(o, 'handler'), ageOf(o, now)];
  },
};

function csrCondition(o: Obj): string {
  const types = new Set(objs(o, 'status', 'conditions').map((c) => str(c, 'type')));
  let status = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) status += ',Failed';
  if (str(o, 'status', 'certificate') !== '') status += ',Issued';
  return status;
}

export const certificateSigningRequestPrinter: TablePrinter = {
  columns: [
    nameCol(),
    ageCol(),
    col('SignerName', 'string', 'The signer asked to sign.'),
    col('Requestor', 'string', 'User who created the request.'),
    col('RequestedDuration', 'string', 'Requested certificate validity.'),
    col('Condition', 'string', 'Approval and issuance state.'),
  ],
  cells(o, now) {
    const seconds = optNum(o, 'spec', 'expirationSeconds');
    return [
      nameOf(o),
      ageOf(o, now),
      str(o, 'spec', 'signerName') || '<none>',
      str(o, 'spec', 'username'),
      seconds === undefined ? '<none>' : humanDuration(seconds * 1000),
      csrCondition(o),
    ];
  },
};

export const apiServicePrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Service', 'string', 'The service serving this API, or Local.'),
    col('Available', 'string', 'Whether the API is available.'),
    ageCol(),
  ],
  cells(o, now) {
    const svc = get(o, 'spec', 'service');
    const service = isObj(svc) ? `${str(svc, 'namespace')}/${str(svc, 'name')}` : 'Local';
    let available = 'Unknown';
    const c = objs(o, 'status', 'conditions').find((x) => str(x, 'type') === 'Available');
    if (c) {
      const status = str(c, 'status');
      const reason = str(c, 'reason');
      available = status !== 'True' && reason !== '' ? `${status} (${reason})` : status;
    }
    return [nameOf(o), service, available, ageOf(o, now)];
  },
};

export const webhookConfigurationPrinter: TablePrinter = {
  columns: [nameCol(), col('Webhooks', 'integer', 'Number of webhooks in this configuration.'), ageCol()],
  cells(o, now) {
    return [nameOf(o), objs(o, 'webhooks').length, ageOf(o, now)];
  },
};

export const validatingAdmissionPolicyPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Validations', 'integer', 'Number of validation rules.'),
    col('ParamKind', 'string', 'Kind of the parameter resource.'),
    ageCol(),
  ],
  cells(o, now) {
    const pk = get(o, 'spec', 'paramKind');
    const paramKind = isObj(pk) ? `${str(pk, 'apiVersion')}/${str(pk, 'kind')}` : '<unset>';
    return [nameOf(o), objs(o, 'spec', 'validations').length, paramKind, ageOf(o, now)];
  },
};


export const componentStatusPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Status', 'string', 'Healthy, Unhealthy or Unknown.'),
    col('Message', 'string', 'Message of the health condition.'),
    col('Error', 'string', 'Error of the health condition.'),
  ],
  cells(o) {
    const c = objs(o, 'conditions').find((x) => str(x, 'type') === 'Healthy');
    if (!c) return [nameOf(o), 'Unknown', '', ''];
    return [nameOf(o), str(c, 'status') === 'True' ? 'Healthy' : 'Unhealthy', str(c, 'message'), str(c, 'error')];
  },
};

/** For the `scale` subresource (`kubectl get --subresource=scale`). */
export const scalePrinter: TablePrinter = {
  columns: [
    col('Name', 'string', 'Name of the scaled object.'),
    col('Desired', 'integer', 'Desired replicas.'),
    col('Available', 'integer', 'Current replicas.'),
    ageCol(),
  ],
  cells(o, now) {
    return [nameOf(o), num(o, 'spec', 'replicas'), num(o, 'status', 'replicas'), ageOf(o, now)];
  },
};
