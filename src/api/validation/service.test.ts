import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, meta } from './testdata.js';

const svc = (spec: Record<string, unknown>, metadata: Record<string, unknown> = meta('web')) => ({ metadata, spec });

test('services', () => {
  assert.deepEqual(check('', 'Service', svc({ selector: { app: 'web' }, ports: [{ port: 80 }] })), []);
  assert.deepEqual(check('', 'Service', svc({ clusterIP: 'None', selector: { app: 'web' } })), []); // headless needs no ports
  assert.deepEqual(check('', 'Service', svc({ type: 'ExternalName', externalName: 'db.example.com' })), []);
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['no ports', svc({ selector: { app: 'web' } }), ['spec.ports: Required value']],
    [
      'service names are DNS-1035 labels',
      svc({ ports: [{ port: 80 }] }, meta('1web')),
      [
        "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      ],
    ],
    [
      'port checks',
      svc({ ports: [{ port: 0 }, { name: 'b', port: 80, targetPort: 'Http_x' }] }),
      [
        'spec.ports[0].name: Required value',
        'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
        'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
        'spec.ports[1].targetPort: Invalid value: "Http_x": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      ],
    ],
    [
      'duplicate port',
      svc({ ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }),
      [
        'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
      ],
    ],
    ['bad type', svc({ type: 'Magic', ports: [{ port: 80 }] }), ['spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']],
    [
      'nodePort on ClusterIP',
      svc({ ports: [{ port: 80, nodePort: 30080 }] }),
      ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    ],
    [
      'nodePort range',
      svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }),
      ['spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767'],
    ],
    [
      'bad cluster IP',
      svc({ clusterIP: '10.43.0.300', ports: [{ port: 80 }] }),
      ["spec.clusterIPs[0]: Invalid value: \"10.43.0.300\": must be empty, 'None', or a valid IP address (e.g. 10.9.8.7 or 2001:db8::ffff)"],
    ],
  ];
  for (const [name, obj, want] of cases) assert.deepEqual(check('', 'Service', obj), want, name);

  const old = svc({ clusterIP: '10.43.0.10', ports: [{ port: 80 }] });
  assert.deepEqual(check('', 'Service', svc({ clusterIP: '10.43.0.11', ports: [{ port: 80 }] }), old), [
    'spec.clusterIPs[0]: Invalid value: []string{"10.43.0.11"}: may not change once set',
  ]);
  assert.deepEqual(check('', 'Service', svc({ clusterIP: '10.43.0.10', ports: [{ port: 81 }] }), old), []);
});
