import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, container, pod } from './testdata.js';

const LABEL_RE_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

test('a valid pod has no errors', () => {
  assert.deepEqual(check('', 'Pod', pod()), []);
});

test('pod create errors carry upstream messages', () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['no containers', pod({ containers: [] }), ['spec.containers: Required value']],
    ['no image', pod({ containers: [{ name: 'a' }] }), ['spec.containers[0].image: Required value']],
    [
      'bad and duplicate names',
      pod({ containers: [container({ name: 'Web' }), container({ name: 'Web' })] }),
      [
        `spec.containers[0].name: Invalid value: "Web": ${LABEL_RE_MSG}`,
        `spec.containers[1].name: Invalid value: "Web": ${LABEL_RE_MSG}`,
        'spec.containers[1].name: Duplicate value: "Web"',
      ],
    ],
    [
      'init container name clash',
      pod({ initContainers: [container()] }),
      ['spec.initContainers[0].name: Duplicate value: "app"'],
    ],
    [
      'ports',
      pod({
        containers: [
          container({
            ports: [
              { containerPort: 70000, name: 'http' },
              { containerPort: 81, name: 'http', protocol: 'HTTP' },
            ],
          }),
        ],
      }),
      [
        'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
        'spec.containers[0].ports[1].name: Duplicate value: "http"',
        'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      ],
    ],
    [
      'env',
      pod({ containers: [container({ env: [{ name: '' }, { name: 'A=B' }, { name: 'C', valueFrom: {} }] })] }),
      [
        'spec.containers[0].env[0].name: Required value',
        `spec.containers[0].env[1].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
        'spec.containers[0].env[2].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
      ],
    ],
    [
      'volumes and mounts',
      pod({
        volumes: [{ name: 'data' }, { name: 'data' }, { name: 'cfg', configMap: { name: 'c' }, secret: { secretName: 's' } }],
        containers: [
          container({
            volumeMounts: [
              { name: 'data', mountPath: '/d' },
              { name: 'missing', mountPath: '/d' },
            ],
          }),
        ],
      }),
      [
        'spec.volumes[1].name: Duplicate value: "data"',
        'spec.volumes[2].configMap: Forbidden: may not specify more than 1 volume type',
        'spec.containers[0].volumeMounts[1].name: Not found: "missing"',
        'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/d": must be unique',
      ],
    ],
    [
      'requests above limits',
      pod({ containers: [container({ resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '250m', memory: '1024Mi' } } })] }),
      ['spec.containers[0].resources.requests: Invalid value: "500m": must be less than or equal to cpu limit of 250m'],
    ],
    [
      'bad resource names and values',
      pod({ containers: [container({ resources: { requests: { cpu: '-1', gpu: '1' }, limits: { 'example.com/gpu': '1.5' } } })] }),
      [
        'spec.containers[0].resources.limits[example.com/gpu]: Invalid value: "1500m": must be an integer',
        'spec.containers[0].resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0',
        'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
        // Pod defaulting copied the limit into requests, so it is reported twice.
        'spec.containers[0].resources.requests[example.com/gpu]: Invalid value: "1500m": must be an integer',
      ],
    ],
    [
      'unparseable quantity',
      pod({ containers: [container({ resources: { requests: { memory: '1 GB' } } })] }),
      [
        "spec.containers[0].resources.requests[memory]: Invalid value: \"1 GB\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      ],
    ],
    [
      'policies',
      pod({ restartPolicy: 'Sometimes', dnsPolicy: 'Public' }),
      [
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
        'spec.dnsPolicy: Unsupported value: "Public": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
      ],
    ],
    [
      'probe handlers',
      pod({
        containers: [
          container({
            livenessProbe: { periodSeconds: 5 },
            readinessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } },
          }),
        ],
      }),
      [
        'spec.containers[0].livenessProbe: Required value: must specify a handler type',
        'spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
      ],
    ],
    [
      'image whitespace (pods only)',
      pod({ containers: [container({ image: ' nginx' })] }),
      ['spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace'],
    ],
    [
      'tolerations',
      pod({ tolerations: [{ operator: 'Equal', value: 'x' }, { key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }] }),
      [
        'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
        "spec.tolerations[1].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
      ],
    ],
    ['no name', pod({}, { namespace: 'default' }), ['metadata.name: Required value: name or generateName is required']],
    [
      'hostNetwork ports',
      pod({ hostNetwork: true, containers: [container({ ports: [{ containerPort: 80 }, { containerPort: 81, hostPort: 8081 }] })] }),
      ['spec.containers[0].ports[1].hostPort: Invalid value: 8081: must match `containerPort` when `hostNetwork` is true'],
    ],
  ];
  for (const [name, obj, want] of cases) assert.deepEqual(check('', 'Pod', obj), want, name);
});

const UPDATE_PREFIX =
  'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n';

test('pod updates: only the mutable fields may change', () => {
  const old = pod({ tolerations: [{ key: 'a', operator: 'Exists' }] });
  // image, added toleration, activeDeadlineSeconds: allowed
  const ok = pod({
    containers: [container({ image: 'nginx:1.28' })],
    tolerations: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }],
    activeDeadlineSeconds: 30,
  });
  assert.deepEqual(check('', 'Pod', ok, old), []);

  const ports = pod({ containers: [container({ ports: [{ containerPort: 80 }] })] });
  const errs = check('', 'Pod', ports, old);
  assert.equal(errs.length, 2);
  assert.equal(errs[0], 'spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds');
  assert.ok(errs[1]!.startsWith(UPDATE_PREFIX), errs[1]);
  // A go-cmp-like diff follows the list of mutable fields.
  const diff = errs[1]!.slice(UPDATE_PREFIX.length).split('\n');
  assert.equal(diff[0], '  core.PodSpec{');
  assert.ok(diff.some((l) => l.startsWith('+ \tContainers: ') && l.includes('"containerPort":80')), diff.join('\n'));
  assert.equal(diff.at(-1), '  }');

  assert.deepEqual(check('', 'Pod', pod({ containers: [container(), container({ name: 'b' })] }), pod()), [
    'spec.containers: Forbidden: pod updates may not add or remove containers',
  ]);
  assert.deepEqual(check('', 'Pod', pod({ activeDeadlineSeconds: 60 }), pod({ activeDeadlineSeconds: 30 })), [
    'spec.activeDeadlineSeconds: Invalid value: 60: must be less than or equal to previous value',
  ]);
  assert.deepEqual(check('', 'Pod', pod({}, { name: 'q', namespace: 'default' }), pod()), [
    'metadata.name: Invalid value: "q": field is immutable',
  ]);
});
