import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EndpointSlice, Service } from '../client/types.js';
import { normalizeHost, pathScore, requestPath, wildcardMatches } from './match.js';
import { isOurIngress, RoutingTable } from './routing-table.js';
import type { HTTPIngressPath, Ingress, IngressClass, PathType } from './types.js';

const svc = (name: string, port = 80, portName?: string): Service => ({ metadata: { namespace: 'default', name }, spec: { ports: [{ name: portName, port, targetPort: 8080 }] } });
const slice = (service: string, ips: string[], port = 8080, portName?: string, ready = true): EndpointSlice => ({
  metadata: { namespace: 'default', name: `${service}-abc`, labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready } })),
  ports: [{ name: portName, port }],
});
const p = (path: string, pathType: PathType, service: string, port: number | string = 80): HTTPIngressPath => ({
  path,
  pathType,
  backend: { service: { name: service, port: typeof port === 'number' ? { number: port } : { name: port } } },
});
const ing = (name: string, spec: Ingress['spec'], created = '2026-01-01T00:00:00Z'): Ingress => ({
  metadata: { namespace: 'default', name, creationTimestamp: created },
  spec: { ingressClassName: 'kubets', ...spec },
});
const names = ['a', 'b', 'c', 'd', 'e', 'def'];
const table = (ingresses: Ingress[], classes: IngressClass[] = []) =>
  new RoutingTable({ ingresses, classes, services: names.map((n) => svc(n)), slices: names.map((n, i) => slice(n, [`127.0.0.${i + 1}`])) });
const key = (t: RoutingTable, host: string, path: string) => t.lookup(host, path)?.key.replace(/^default\/|:80$/g, '');

describe('host matching', () => {
  it('a wildcard stands for exactly one label', () => {
    assert.equal(wildcardMatches('*.foo.com', 'bar.foo.com'), true);
    assert.equal(wildcardMatches('*.foo.com', 'baz.bar.foo.com'), false);
    assert.equal(wildcardMatches('*.foo.com', 'foo.com'), false);
    assert.equal(wildcardMatches('*.foo.com', 'xfoo.com'), false);
  });
  it('normalizes the Host header', () => {
    assert.equal(normalizeHost('Foo.COM:8080'), 'foo.com');
    assert.equal(normalizeHost('[::1]:80'), '::1');
    assert.equal(normalizeHost('a.b.'), 'a.b');
    assert.equal(normalizeHost(undefined), '');
  });
});

describe('path matching', () => {
  it('Prefix compares whole elements', () => {
    assert.notEqual(pathScore('/foo', 'Prefix', '/foo'), undefined);
    assert.notEqual(pathScore('/foo', 'Prefix', '/foo/'), undefined);
    assert.notEqual(pathScore('/foo', 'Prefix', '/foo/bar'), undefined);
    assert.equal(pathScore('/foo', 'Prefix', '/foobar'), undefined);
    assert.notEqual(pathScore('/foo/', 'Prefix', '/foo'), undefined, 'a trailing slash in the rule is ignored');
    assert.equal(pathScore('/aaa/bb', 'Prefix', '/aaa/bbb'), undefined);
    assert.notEqual(pathScore('/', 'Prefix', '/anything/at/all'), undefined);
  });
  it('Exact must be equal, slash included', () => {
    assert.notEqual(pathScore('/foo', 'Exact', '/foo'), undefined);
    assert.equal(pathScore('/foo', 'Exact', '/foo/'), undefined);
    assert.equal(pathScore('/foo', 'Exact', '/foo/bar'), undefined);
  });
  it('ImplementationSpecific acts as Prefix', () => {
    assert.notEqual(pathScore('/foo', 'ImplementationSpecific', '/foo/bar'), undefined);
    assert.equal(pathScore('/foo', 'ImplementationSpecific', '/foobar'), undefined);
  });
  it('strips the query string', () => {
    assert.equal(requestPath('/a/b?x=1'), '/a/b');
    assert.equal(requestPath(undefined), '/');
  });
});

describe('RoutingTable', () => {
  it('the longest match wins, and Exact beats a Prefix of equal length', () => {
    const t = table([ing('x', { rules: [{ host: 'h.com', http: { paths: [p('/', 'Prefix', 'a'), p('/api', 'Prefix', 'b'), p('/api/v2', 'Prefix', 'c'), p('/api', 'Exact', 'd')] } }] })]);
    assert.equal(key(t, 'h.com', '/'), 'a');
    assert.equal(key(t, 'h.com', '/apix'), 'a');
    assert.equal(key(t, 'h.com', '/api'), 'd');
    assert.equal(key(t, 'h.com', '/api/'), 'b');
    assert.equal(key(t, 'h.com', '/api/v1'), 'b');
    assert.equal(key(t, 'h.com', '/api/v2/x'), 'c');
  });

  it('exact hosts beat wildcards, which beat host-less rules; then the default backend; else 404', () => {
    const t = table([
      ing('x', {
        rules: [
          { host: 'a.foo.com', http: { paths: [p('/', 'Prefix', 'a')] } },
          { host: '*.foo.com', http: { paths: [p('/', 'Prefix', 'b')] } },
          { http: { paths: [p('/only', 'Prefix', 'c')] } },
        ],
      }),
    ]);
    assert.equal(key(t, 'a.foo.com', '/x'), 'a');
    assert.equal(key(t, 'z.foo.com', '/x'), 'b');
    assert.equal(key(t, 'y.z.foo.com', '/x'), undefined);
    assert.equal(key(t, 'other.com', '/only/x'), 'c');
    assert.equal(key(t, 'other.com', '/x'), undefined);
    const withDefault = table([ing('x', { defaultBackend: { service: { name: 'def', port: { number: 80 } } }, rules: [{ host: 'a.com', http: { paths: [p('/', 'Prefix', 'a')] } }] })]);
    assert.equal(key(withDefault, 'nomatch.com', '/'), 'def');
    assert.equal(key(withDefault, 'a.com', '/'), 'a');
  });

  it('resolves the service port by number or name to ready endpoints on the target port', () => {
    const t = new RoutingTable({
      ingresses: [ing('x', { rules: [{ host: 'n.com', http: { paths: [p('/', 'Prefix', 'web', 'http')] } }, { host: 'm.com', http: { paths: [p('/', 'Prefix', 'web', 8443)] } }] })],
      classes: [],
      services: [{ metadata: { namespace: 'default', name: 'web' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 'web' }, { name: 'tls', port: 8443 }] } }],
      slices: [
        { ...slice('web', ['127.0.0.1', '127.0.0.2'], 9000, 'http'), ports: [{ name: 'http', port: 9000 }, { name: 'tls', port: 9443 }] },
        { ...slice('web', ['127.0.0.3'], 9000, 'http', false), metadata: { namespace: 'default', name: 'web-2', labels: { 'kubernetes.io/service-name': 'web' } } },
      ],
    });
    assert.deepEqual(t.lookup('n.com', '/')?.targets, [{ host: '127.0.0.1', port: 9000 }, { host: '127.0.0.2', port: 9000 }]);
    assert.deepEqual(t.lookup('m.com', '/')?.targets.map((x) => x.port), [9443, 9443]);
  });

  it('a missing service yields an upstream without targets (503), not a 404', () => {
    const t = table([ing('x', { rules: [{ host: 'g.com', http: { paths: [p('/', 'Prefix', 'gone')] } }] })]);
    assert.deepEqual(t.lookup('g.com', '/')?.targets, []);
  });

  it('keeps only Ingresses of our class', () => {
    const ours: IngressClass = { metadata: { name: 'kubets', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: 'kubets.io/ingress' } };
    const other: IngressClass = { metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } };
    const unnamed: Ingress = { metadata: { name: 'u', namespace: 'default' }, spec: {} };
    assert.equal(isOurIngress(ing('a', {}), []), true);
    assert.equal(isOurIngress({ ...ing('b', {}), spec: { ingressClassName: 'nginx' } }, [ours, other]), false);
    assert.equal(isOurIngress(unnamed, [ours, other]), true);
    assert.equal(isOurIngress(unnamed, [{ ...ours, metadata: { name: 'kubets' } }]), false);
  });
});
