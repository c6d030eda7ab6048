// The OpenAPI endpoints' caching, as kubectl's disk cache relies on it: a
// hashed v3 URL is immutable, ETags answer If-None-Match with 304, and a
// stale hash redirects to the current document.
import assert from 'node:assert/strict';
import { createServer, get as httpGet, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { OPENAPI_V2_PROTOBUF_CONTENT_TYPE } from '../api/openapi/index.js';
import { OpenApiService } from './openapi.js';
import { BUILTIN_RESOURCES } from './registry/builtin.js';
import { Registry } from './registry/registry.js';

let server: Server;
let base: string;

before(async () => {
  const openapi = new OpenApiService(new Registry(BUILTIN_RESOURCES));
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (!openapi.handle(path, req, res)) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers, redirect: 'manual' });

async function appsV1Url(): Promise<string> {
  const root = (await (await get('/openapi/v3')).json()) as { paths: Record<string, { serverRelativeURL: string }> };
  const url = root.paths['apis/apps/v1']?.serverRelativeURL;
  assert.match(url ?? '', /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
  return url!;
}

describe('OpenAPI v3', () => {
  it('serves a hashed document as immutable for a year, with the hash as its ETag', async () => {
    const url = await appsV1Url();
    const res = await get(url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'public, immutable');
    assert.equal(res.headers.get('etag'), `"${url.split('hash=')[1]}"`);
    const expires = Date.parse(res.headers.get('expires') ?? '');
    assert.ok(expires - Date.now() > 360 * 24 * 3600 * 1000, `expires ${res.headers.get('expires')}`);
    const doc = (await res.json()) as { components: { schemas: Record<string, unknown> } };
    assert.ok(doc.components.schemas['io.k8s.api.apps.v1.Deployment']);
  });

  it('answers If-None-Match with 304 and no body', async () => {
    const url = await appsV1Url();
    const etag = (await get(url)).headers.get('etag')!;
    const res = await get(url, { 'If-None-Match': etag });
    assert.equal(res.status, 304);
    assert.equal(res.headers.get('etag'), etag);
    assert.equal(await res.text(), '');
    assert.equal((await get(url, { 'If-None-Match': '"other"' })).status, 200);
  });

  it('redirects a stale hash to the current one, and does not cache a request without a hash', async () => {
    const url = await appsV1Url();
    const stale = await get(`/openapi/v3/apis/apps/v1?hash=${'0'.repeat(128)}`);
    assert.equal(stale.status, 301);
    assert.equal(stale.headers.get('location'), url);
    const plain = await get('/openapi/v3/apis/apps/v1');
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get('cache-control'), 'no-cache, private');
    assert.equal(plain.headers.get('etag'), `"${url.split('hash=')[1]}"`);
  });
});

describe('compression', () => {
  it('gzips a large document for a client that accepts it, and only then', async () => {
    const url = await appsV1Url();
    const plain = await raw(url, {});
    assert.equal(plain.headers['content-encoding'], undefined);
    const zipped = await raw(url, { 'Accept-Encoding': 'gzip' });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.match(String(zipped.headers.vary), /Accept-Encoding/);
    assert.ok(zipped.body.length < plain.body.length / 3, `gzipped ${zipped.body.length} of ${plain.body.length} bytes`);
    assert.deepEqual(gunzipSync(zipped.body), plain.body);
  });
});

/** A GET whose body is left as sent (fetch would ask for gzip and decode it). */
function raw(path: string, headers: Record<string, string>): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpGet(`${base}${path}`, { headers }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => resolve({ headers: r.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('OpenAPI v2', () => {
  it('gives JSON and protobuf their own ETags, each answering If-None-Match with 304', async () => {
    const json = await get('/openapi/v2');
    const proto = await get('/openapi/v2', { Accept: OPENAPI_V2_PROTOBUF_CONTENT_TYPE });
    assert.equal(proto.headers.get('content-type'), OPENAPI_V2_PROTOBUF_CONTENT_TYPE);
    const [jsonTag, protoTag] = [json.headers.get('etag'), proto.headers.get('etag')];
    assert.match(jsonTag ?? '', /^"[0-9A-F]{128}"$/);
    assert.match(protoTag ?? '', /^"[0-9A-F]{128}"$/);
    assert.notEqual(jsonTag, protoTag);
    assert.equal((await get('/openapi/v2', { 'If-None-Match': jsonTag! })).status, 304);
    assert.equal((await get('/openapi/v2', { 'If-None-Match': jsonTag!, Accept: OPENAPI_V2_PROTOBUF_CONTENT_TYPE })).status, 200);
  });
});
