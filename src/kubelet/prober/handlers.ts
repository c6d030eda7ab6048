// Runs one probe or lifecycle handler against a container: exec through the
// runtime (ExecSync with a timeout), httpGet to the pod IP (2xx/3xx pass),
// tcpSocket (a connection opens). Shared by the prober and the hooks.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Container, ProbeHandler } from '../../api/core-v1.js';
import type { RuntimeService } from '../../cri/types.js';
import { grpcHealthCheck, SERVING } from './grpc-health.js';

export interface HandlerTarget {
  containerId: string;
  container: Container;
  podIP: string;
}

export interface HandlerResult {
  ok: boolean;
  message: string;
}

/**
 * How probes reach pods over the network. The agent runs in the node's network
 * namespace and dials directly; tests whose pods live in another namespace
 * substitute a dialer that enters it.
 */
export interface ProbeNet {
  /** Resolves with the HTTP status code; rejects when no response came. */
  httpGet(req: { url: string; headers: Record<string, string>; timeoutMs: number }): Promise<number>;
  /** Resolves once a TCP connection opened; rejects otherwise. */
  tcpConnect(host: string, port: number, timeoutMs: number): Promise<void>;
  /** grpc.health.v1 Check: resolves with the serving status (1 = SERVING). Without it, gRPC probes fail. */
  grpcCheck?(host: string, port: number, service: string, timeoutMs: number): Promise<number>;
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

function directHttpGet(req: { url: string; headers: Record<string, string>; timeoutMs: number }): Promise<number> {
  const u = new URL(req.url);
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const r = mod.request(u, { method: 'GET', headers: req.headers, timeout: req.timeoutMs, rejectUnauthorized: false, agent: false }, (res) => {
      res.resume();
      res.on('error', () => undefined);
      resolve(res.statusCode ?? 0);
      r.destroy();
    });
    r.on('timeout', () => r.destroy(new Error(`Get "${req.url}": timeout after ${req.timeoutMs} ms`)));
    r.on('error', reject);
    r.end();
  });
}

function directTcpConnect(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    sock.setTimeout(timeoutMs);
    sock.once('connect', () => {
      sock.destroy();
      resolve();
    });
    sock.once('timeout', () => {
      sock.destroy();
      reject(new Error(`dial tcp ${host}:${port}: i/o timeout`));
    });
    sock.once('error', reject);
  });
}

/** Dials from the process's own network namespace. */
export const directNet: ProbeNet = { httpGet: directHttpGet, tcpConnect: directTcpConnect, grpcCheck: grpcHealthCheck };

async function grpcHandler(h: NonNullable<ProbeHandler['grpc']>, t: HandlerTarget, timeoutSeconds: number, pn: ProbeNet): Promise<HandlerResult> {
  if (!pn.grpcCheck) return { ok: false, message: 'gRPC probes are not available here' };
  try {
    const status = await pn.grpcCheck(t.podIP, h.port, h.service ?? '', timeoutSeconds * 1000);
    return status === SERVING ? { ok: true, message: '' } : { ok: false, message: `service unhealthy (responded with ${status === 2 ? 'NOT_SERVING' : status})` };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

async function httpHandler(h: NonNullable<ProbeHandler['httpGet']>, t: HandlerTarget, timeoutSeconds: number, pn: ProbeNet): Promise<HandlerResult> {
  const port = resolvePort(h.port, t.container);
  if (port === undefined) return { ok: false, message: `unknown port ${h.port}` };
  const host = h.host || t.podIP;
  const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.33', Accept: '*/*' };
  for (const x of h.httpHeaders ?? []) headers[x.name] = x.value;
  const p = h.path || '/';
  const url = `${h.scheme === 'HTTPS' ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}${p.startsWith('/') ? p : `/${p}`}`;
  try {
    const code = await pn.httpGet({ url, headers, timeoutMs: timeoutSeconds * 1000 });
    return code >= 200 && code < 400 ? { ok: true, message: `HTTP ${code}` } : { ok: false, message: `HTTP probe failed with statuscode: ${code}` };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

async function tcpHandler(h: NonNullable<ProbeHandler['tcpSocket']>, t: HandlerTarget, timeoutSeconds: number, pn: ProbeNet): Promise<HandlerResult> {
  const port = resolvePort(h.port, t.container);
  if (port === undefined) return { ok: false, message: `unknown port ${h.port}` };
  const host = h.host || t.podIP;
  try {
    await pn.tcpConnect(host, port, timeoutSeconds * 1000);
    return { ok: true, message: '' };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

export async function runHandler(runtime: RuntimeService, h: ProbeHandler, t: HandlerTarget, timeoutSeconds: number, pn: ProbeNet = directNet): Promise<HandlerResult> {
  if (h.exec) return execHandler(runtime, t, h.exec.command ?? [], timeoutSeconds);
  if (h.httpGet) return httpHandler(h.httpGet, t, timeoutSeconds, pn);
  if (h.tcpSocket) return tcpHandler(h.tcpSocket, t, timeoutSeconds, pn);
  if (h.grpc) return grpcHandler(h.grpc, t, timeoutSeconds, pn);
  return { ok: false, message: 'handler has no action' };
}
