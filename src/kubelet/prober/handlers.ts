// Runs one probe or lifecycle handler against a container: exec through the
// runtime (ExecSync with a timeout), httpGet to the pod IP (2xx/3xx pass),
// tcpSocket (a connection opens). Shared by the prober and the hooks.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Container, ProbeHandler } from '../../api/core-v1.js';
import type { RuntimeService } from '../../cri/types.js';

export interface HandlerTarget {
  containerId: string;
  container: Container;
  podIP: string;
}

export interface HandlerResult {
  ok: boolean;
  message: string;
}

/** A port number, or a named port looked up in the container's ports. */
export function resolvePort(port: number | string, c: Container): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return c.ports?.find((p) => p.name === port)?.containerPort;
}

async function execHandler(runtime: RuntimeService, t: HandlerTarget, cmd: string[], timeoutSeconds: number): Promise<HandlerResult> {
  try {
    const r = await runtime.execSync(t.containerId, cmd, timeoutSeconds);
    const out = Buffer.concat([Buffer.from(r.stdout ?? []), Buffer.from(r.stderr ?? [])]).toString('utf8').slice(0, 1024);
    return r.exit_code === 0 ? { ok: true, message: out } : { ok: false, message: `command ${JSON.stringify(cmd)} exited with ${r.exit_code}: ${out}` };
  } catch (err) {
    return { ok: false, message: `exec failed: ${(err as Error).message}` };
  }
}

function httpHandler(h: NonNullable<ProbeHandler['httpGet']>, t: HandlerTarget, timeoutSeconds: number): Promise<HandlerResult> {
  const port = resolvePort(h.port, t.container);
  if (port === undefined) return Promise.resolve({ ok: false, message: `unknown port ${h.port}` });
  const host = h.host || t.podIP;
  const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.33', Accept: '*/*' };
  for (const x of h.httpHeaders ?? []) headers[x.name] = x.value;
  const mod = h.scheme === 'HTTPS' ? https : http;
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: HandlerResult) => {
      if (done) return;
      done = true;
      resolve(r);
    };
    const req = mod.request(
      { host, port, path: h.path || '/', method: 'GET', headers, timeout: timeoutSeconds * 1000, rejectUnauthorized: false, agent: false },
      (res) => {
        const code = res.statusCode ?? 0;
        res.resume();
        res.on('error', () => undefined);
        finish(code >= 200 && code < 400 ? { ok: true, message: `HTTP ${code}` } : { ok: false, message: `HTTP probe failed with statuscode: ${code}` });
        req.destroy();
      },
    );
    req.on('timeout', () => {
      finish({ ok: false, message: `Get "http://${host}:${port}${h.path || '/'}": timeout after ${timeoutSeconds}s` });
      req.destroy();
    });
    req.on('error', (err) => finish({ ok: false, message: err.message }));
    req.end();
  });
}

function tcpHandler(h: NonNullable<ProbeHandler['tcpSocket']>, t: HandlerTarget, timeoutSeconds: number): Promise<HandlerResult> {
  const port = resolvePort(h.port, t.container);
  if (port === undefined) return Promise.resolve({ ok: false, message: `unknown port ${h.port}` });
  const host = h.host || t.podIP;
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    sock.setTimeout(timeoutSeconds * 1000);
    sock.once('connect', () => {
      sock.destroy();
      resolve({ ok: true, message: '' });
    });
    sock.once('timeout', () => {
      sock.destroy();
      resolve({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` });
    });
    sock.once('error', (err) => resolve({ ok: false, message: err.message }));
  });
}

export async function runHandler(runtime: RuntimeService, h: ProbeHandler, t: HandlerTarget, timeoutSeconds: number): Promise<HandlerResult> {
  if (h.exec) return execHandler(runtime, t, h.exec.command ?? [], timeoutSeconds);
  if (h.httpGet) return httpHandler(h.httpGet, t, timeoutSeconds);
  if (h.tcpSocket) return tcpHandler(h.tcpSocket, t, timeoutSeconds);
  if (h.grpc) return { ok: false, message: 'grpc probes are not supported by kubets' };
  return { ok: false, message: 'handler has no action' };
}
