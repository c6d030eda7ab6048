import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NOW, ago, meta, units } from './testutil.js';
import {
  controllerRevisionPrinter,
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  jobPrinter,
  podTemplatePrinter,
  replicaSetPrinter,
  replicationControllerPrinter,
  statefulSetPrinter,
} from './workloads.js';
import type { TablePrinter } from './types.js';

const { s, m, h, d } = units;
type O = Record<string, unknown>;

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }, { name: 'log', image: 'busybox' }] } };
const headers = (p: TablePrinter) => p.columns.map((c) => (c.priority > 0 ? `(${c.name})` : c.name));

test('deployment: READY UP-TO-DATE AVAILABLE AGE and wide CONTAINERS IMAGES SELECTOR', () => {
  assert.deepEqual(headers(deploymentPrinter), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', '(Containers)', '(Images)', '(Selector)']);
  const dep: O = {
    metadata: meta('web', 3 * h + 5 * m),
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web', tier: 'fe' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'canary'] }] },
      template,
    },
    status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  };
  assert.deepEqual(deploymentPrinter.cells(dep, NOW), [
    'web',
    '2/3',
    3,
    2,
    '3h5m',
    'nginx,log',
    'nginx:1.25,busybox',
    'app=web,env in (canary,prod),tier=fe',
  ]);
  // No status yet; replicas defaulted to 1; bad operator prints <invalid>.
  const fresh: O = { metadata: meta('new', 10 * s), spec: { selector: { matchExpressions: [{ key: 'a', operator: 'Bogus' }] }, template } };
  assert.deepEqual(deploymentPrinter.cells(fresh, NOW).slice(0, 5), ['new', '0/1', 0, 0, '10s']);
  assert.equal(deploymentPrinter.cells(fresh, NOW)[7], '<invalid>');
});

test('replicaset and replicationcontroller: DESIRED CURRENT READY', () => {
  assert.deepEqual(headers(replicaSetPrinter), ['Name', 'Desired', 'Current', 'Ready', 'Age', '(Containers)', '(Images)', '(Selector)']);
  const rs: O = {
    metadata: meta('web-7d4b9c', 2 * d),
    spec: { replicas: 2, selector: { matchLabels: { app: 'web', 'pod-template-hash': '7d4b9c' } }, template },
    status: { replicas: 2, readyReplicas: 1 },
  };
  assert.deepEqual(replicaSetPrinter.cells(rs, NOW), ['web-7d4b9c', 2, 2, 1, '2d', 'nginx,log', 'nginx:1.25,busybox', 'app=web,pod-template-hash=7d4b9c']);
  const rc: O = { metadata: meta('old', 30 * m), spec: { replicas: 0, selector: { app: 'old' }, template }, status: { replicas: 0 } };
  assert.deepEqual(replicationControllerPrinter.cells(rc, NOW), ['old', 0, 0, 0, '30m', 'nginx,log', 'nginx:1.25,busybox', 'app=old']);
});

test('statefulset and daemonset', () => {
  assert.deepEqual(headers(statefulSetPrinter), ['Name', 'Ready', 'Age', '(Containers)', '(Images)']);
  const sts: O = { metadata: meta('db', 20 * m), spec: { replicas: 3, template }, status: { readyReplicas: 3 } };
  assert.deepEqual(statefulSetPrinter.cells(sts, NOW), ['db', '3/3', '20m', 'nginx,log', 'nginx:1.25,busybox']);

  assert.deepEqual(headers(daemonSetPrinter), [
    'Name',
    'Desired',
    'Current',
    'Ready',
    'Up-to-date',
    'Available',
    'Node Selector',
    'Age',
    '(Containers)',
    '(Images)',
    '(Selector)',
  ]);
  const ds: O = {
    metadata: meta('proxy', 6 * d + 1 * h),
    spec: { selector: { matchLabels: { k8s: 'proxy' } }, template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'p', image: 'p:2' }] } } },
    status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 },
  };
  assert.deepEqual(daemonSetPrinter.cells(ds, NOW), ['proxy', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '6d1h', 'p', 'p:2', 'k8s=proxy']);
  const noSel: O = { metadata: meta('x', s), spec: { template: { spec: { containers: [] } } } };
  assert.deepEqual(daemonSetPrinter.cells(noSel, NOW).slice(6), ['<none>', '1s', '', '', '<none>']);
});

test('job: STATUS, COMPLETIONS and DURATION in every state', () => {
  assert.deepEqual(headers(jobPrinter), ['Name', 'Status', 'Completions', 'Duration', 'Age', '(Containers)', '(Images)', '(Selector)']);
  const base = (spec: O, status: O, extra: O = {}): O => ({
    metadata: meta('pi', 10 * m, extra),
    spec: { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } }, template: { spec: { containers: [{ name: 'pi', image: 'perl' }] } }, ...spec },
    status,
  });
  const complete = base(
    { completions: 1, parallelism: 1 },
    { succeeded: 1, startTime: ago(10 * m), completionTime: ago(10 * m - 37 * s), conditions: [{ type: 'Complete', status: 'True' }] },
  );
  assert.deepEqual(jobPrinter.cells(complete, NOW), ['pi', 'Complete', '1/1', '37s', '10m', 'pi', 'perl', 'batch.kubernetes.io/controller-uid=u1']);
  const runningJob = base({ completions: 5, parallelism: 2 }, { succeeded: 2, active: 2, startTime: ago(3 * m + 20 * s) });
  assert.deepEqual(jobPrinter.cells(runningJob, NOW).slice(1, 4), ['Running', '2/5', '3m20s']);
  const workQueue = base({ parallelism: 3 }, { startTime: ago(m) });
  assert.deepEqual(jobPrinter.cells(workQueue, NOW).slice(1, 4), ['Running', '0/1 of 3', '60s']);
  const notStarted = base({}, {});
  assert.deepEqual(jobPrinter.cells(notStarted, NOW).slice(1, 4), ['Running', '0/1', '']);
  const failed = base({ completions: 1 }, { failed: 6, startTime: ago(5 * m), conditions: [{ type: 'FailureTarget', status: 'True' }, { type: 'Failed', status: 'True' }] });
  assert.equal(jobPrinter.cells(failed, NOW)[1], 'Failed');
  const suspended = base({ completions: 1, suspend: true }, { conditions: [{ type: 'Suspended', status: 'True' }] });
  assert.equal(jobPrinter.cells(suspended, NOW)[1], 'Suspended');
  const deleting = base({ completions: 1 }, { conditions: [{ type: 'Suspended', status: 'True' }] }, { deletionTimestamp: ago(s) });
  assert.equal(jobPrinter.cells(deleting, NOW)[1], 'Terminating');
  const target = base({ completions: 1 }, { conditions: [{ type: 'FailureTarget', status: 'True' }] });
  assert.equal(jobPrinter.cells(target, NOW)[1], 'FailureTarget');
});

test('cronjob: SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE', () => {
  assert.deepEqual(headers(cronJobPrinter), [
    'Name',
    'Schedule',
    'Timezone',
    'Suspend',
    'Active',
    'Last Schedule',
    'Age',
    '(Containers)',
    '(Images)',
    '(Selector)',
  ]);
  const cj: O = {
    metadata: meta('hello', 2 * h),
    spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template: { spec: { containers: [{ name: 'hello', image: 'busybox:1.28' }] } } } } },
    status: { active: [{ name: 'hello-1' }], lastScheduleTime: ago(4 * m) },
  };
  assert.deepEqual(cronJobPrinter.cells(cj, NOW), ['hello', '*/5 * * * *', '<none>', 'False', 1, '4m', '120m', 'hello', 'busybox:1.28', '<none>']);
  const never: O = { metadata: meta('tz', m), spec: { schedule: '0 0 * * *', timeZone: 'Etc/UTC', suspend: true, jobTemplate: {} } };
  assert.deepEqual(cronJobPrinter.cells(never, NOW).slice(0, 7), ['tz', '0 0 * * *', 'Etc/UTC', 'True', 0, '<none>', '60s']);
  const unset: O = { metadata: meta('u', m), spec: { schedule: '@hourly', jobTemplate: {} } };
  assert.equal(cronJobPrinter.cells(unset, NOW)[3], '<unset>');
});

test('podtemplate and controllerrevision', () => {
  assert.deepEqual(headers(podTemplatePrinter), ['Name', 'Containers', 'Images', 'Pod Labels']);
  assert.deepEqual(podTemplatePrinter.cells({ metadata: meta('t', m), template }, NOW), ['t', 'nginx,log', 'nginx:1.25,busybox', 'app=web']);
  assert.deepEqual(headers(controllerRevisionPrinter), ['Name', 'Controller', 'Revision', 'Age']);
  const cr: O = {
    metadata: meta('web-5d8f', h, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'x', controller: true }] }),
    revision: 2,
  };
  assert.deepEqual(controllerRevisionPrinter.cells(cr, NOW), ['web-5d8f', 'statefulset.apps/web', 2, '60m']);
  assert.deepEqual(controllerRevisionPrinter.cells({ metadata: meta('orphan', h), revision: 1 }, NOW), ['orphan', '<none>', 1, '60m']);
});
