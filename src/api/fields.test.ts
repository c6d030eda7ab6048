import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkFieldSelector,
  escapeFieldValue,
  FieldSelectorParseError,
  fieldSelectorToString,
  fieldsOf,
  isEmptyFieldSelector,
  matchesFields,
  parseFieldSelector,
  supportedFieldLabels,
  unescapeFieldValue,
  UnsupportedFieldLabelError,
} from './fields.js';

function parseFails(s: string, message: string): void {
  assert.throws(
    () => parseFieldSelector(s),
    (e: unknown) => e instanceof FieldSelectorParseError && e.message === message,
    `${JSON.stringify(s)} should fail with ${message}`,
  );
}

describe('parseFieldSelector', () => {
  it('parses =, == and != terms, sorted', () => {
    const sel = parseFieldSelector('status.phase!=Failed,metadata.name==web,spec.nodeName=n1');
    assert.deepEqual(sel.requirements, [
      { field: 'metadata.name', operator: '=', value: 'web' },
      { field: 'spec.nodeName', operator: '=', value: 'n1' },
      { field: 'status.phase', operator: '!=', value: 'Failed' },
    ]);
    assert.equal(fieldSelectorToString(sel), 'metadata.name=web,spec.nodeName=n1,status.phase!=Failed');
  });

  it('treats the empty string and empty terms as select-everything', () => {
    assert.ok(isEmptyFieldSelector(parseFieldSelector('')));
    assert.ok(isEmptyFieldSelector(parseFieldSelector(',,')));
    assert.ok(matchesFields(parseFieldSelector(''), {}));
  });

  it('accepts empty values', () => {
    assert.deepEqual(parseFieldSelector('spec.nodeName=').requirements, [{ field: 'spec.nodeName', operator: '=', value: '' }]);
  });

  it('handles escaped commas, equals and backslashes in values', () => {
    const sel = parseFieldSelector('metadata.name=a\\,b\\=c\\\\d,type=x');
    assert.deepEqual(sel.requirements, [
      { field: 'metadata.name', operator: '=', value: 'a,b=c\\d' },
      { field: 'type', operator: '=', value: 'x' },
    ]);
    assert.equal(fieldSelectorToString(sel), 'metadata.name=a\\,b\\=c\\\\d,type=x');
    assert.equal(escapeFieldValue('a,b=c\\'), 'a\\,b\\=c\\\\');
    assert.equal(unescapeFieldValue(escapeFieldValue('x=,\\y')), 'x=,\\y');
  });

  it('reports bad input with upstream wording', () => {
    parseFails('foo', "invalid selector: 'foo'; can't understand 'foo'");
    parseFails('a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'");
    parseFails('a=b\\x', 'invalid field selector: invalid escape sequence: \\x');
    parseFails('a=b\\', 'invalid field selector: invalid escape sequence: \\');
    parseFails('a=b=c', 'invalid field selector: unescaped character in value: 61');
  });

  it('splits on the first operator', () => {
    assert.deepEqual(parseFieldSelector('a!=b').requirements[0], { field: 'a', operator: '!=', value: 'b' });
    assert.deepEqual(parseFieldSelector('a==b').requirements[0], { field: 'a', operator: '=', value: 'b' });
  });
});

describe('matchesFields', () => {
  const fields = { 'metadata.name': 'web', 'spec.nodeName': '' };
  it('matches equality and inequality, a missing field reading as ""', () => {
    assert.ok(matchesFields(parseFieldSelector('metadata.name=web'), fields));
    assert.ok(!matchesFields(parseFieldSelector('metadata.name=db'), fields));
    assert.ok(matchesFields(parseFieldSelector('metadata.name!=db'), fields));
    assert.ok(!matchesFields(parseFieldSelector('metadata.name!=web'), fields));
    assert.ok(matchesFields(parseFieldSelector('spec.nodeName='), fields));
    assert.ok(matchesFields(parseFieldSelector('status.phase='), fields));
    assert.ok(!matchesFields(parseFieldSelector('metadata.name=web,spec.nodeName!='), fields));
  });
});

describe('fieldsOf', () => {
  it('gives pods their selectable fields', () => {
    const pod = {
      metadata: { name: 'p', namespace: 'ns' },
      spec: { nodeName: 'n1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'sa', hostNetwork: true },
      status: { phase: 'Running', podIP: '10.42.0.9', podIPs: [{ ip: '10.42.0.5' }, { ip: 'fd00::5' }], nominatedNodeName: 'n2' },
    };
    assert.deepEqual(fieldsOf('pods', pod), {
      'metadata.name': 'p',
      'metadata.namespace': 'ns',
      'spec.nodeName': 'n1',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': 'sa',
      'spec.hostNetwork': 'true',
      'status.phase': 'Running',
      'status.podIP': '10.42.0.5',
      'status.nominatedNodeName': 'n2',
    });
    const bare = fieldsOf('pods', { metadata: { name: 'q' } });
    assert.equal(bare['spec.hostNetwork'], 'false');
    assert.equal(bare['spec.nodeName'], '');
    assert.equal(bare['metadata.namespace'], '');
    assert.ok(matchesFields(parseFieldSelector('spec.nodeName='), bare), 'unscheduled pods match spec.nodeName=');
  });

  it('gives events the fields kubectl describe selects on', () => {
    const ev = {
      metadata: { name: 'e1', namespace: 'ns' },
      involvedObject: { kind: 'Pod', namespace: 'ns', name: 'p', uid: 'u1', apiVersion: 'v1', resourceVersion: '7', fieldPath: 'spec.containers{c}' },
      reason: 'Pulled',
      source: { component: 'kubelet' },
      reportingComponent: 'kubelet-x',
      type: 'Normal',
    };
    const f = fieldsOf('events', ev);
    assert.equal(f['involvedObject.uid'], 'u1');
    assert.equal(f['involvedObject.fieldPath'], 'spec.containers{c}');
    assert.equal(f.source, 'kubelet');
    assert.equal(f.reportingComponent, 'kubelet-x');
    assert.ok(matchesFields(parseFieldSelector('involvedObject.name=p,involvedObject.namespace=ns,involvedObject.uid=u1'), f));
    const noSource = fieldsOf('events', { metadata: { name: 'e2' }, involvedObject: {}, reportingComponent: 'ctrl' });
    assert.equal(noSource.source, 'ctrl', 'source falls back to the reporting controller');
    const v1 = fieldsOf('events.events.k8s.io', { metadata: { name: 'e3' }, regarding: { kind: 'Node', name: 'n' }, reportingController: 'k' });
    assert.equal(v1['involvedObject.kind'], 'Node');
    assert.equal(v1.reportingComponent, 'k');
  });

  it('gives other resources their specific fields', () => {
    assert.equal(fieldsOf('secrets', { metadata: {}, type: 'Opaque' }).type, 'Opaque');
    assert.equal(fieldsOf('nodes', { metadata: {}, spec: { unschedulable: true } })['spec.unschedulable'], 'true');
    assert.equal(fieldsOf('nodes', { metadata: {} })['spec.unschedulable'], 'false');
    assert.equal(fieldsOf('namespaces', { metadata: {}, status: { phase: 'Active' } })['status.phase'], 'Active');
    assert.equal(fieldsOf('replicasets', { metadata: {}, status: { replicas: 3 } })['status.replicas'], '3');
    assert.equal(fieldsOf('replicationcontrollers', { metadata: {} })['status.replicas'], '0');
    assert.equal(fieldsOf('jobs', { metadata: {}, status: { succeeded: 2 } })['status.successful'], '2');
    assert.equal(fieldsOf('certificatesigningrequests', { metadata: {}, spec: { signerName: 'x/y' } })['spec.signerName'], 'x/y');
    assert.deepEqual(fieldsOf('configmaps', { metadata: { name: 'c', namespace: 'n' }, data: { a: 'b' } }), {
      'metadata.name': 'c',
      'metadata.namespace': 'n',
    });
  });
});

describe('supportedFieldLabels / checkFieldSelector', () => {
  it('lists the common and the specific labels', () => {
    assert.deepEqual(supportedFieldLabels('configmaps'), ['metadata.name', 'metadata.namespace']);
    assert.ok(supportedFieldLabels('pods').includes('status.phase'));
    assert.ok(supportedFieldLabels('events').includes('involvedObject.uid'));
    assert.ok(supportedFieldLabels('jobs.batch').includes('status.successful'));
  });

  it('rejects unsupported labels with upstream wording', () => {
    checkFieldSelector('pods', parseFieldSelector('spec.nodeName=n1,metadata.name=x'));
    assert.throws(
      () => checkFieldSelector('configmaps', parseFieldSelector('status.phase=Running')),
      (e: unknown) => e instanceof UnsupportedFieldLabelError && e.message === 'field label not supported: status.phase' && e.label === 'status.phase',
    );
  });
});
