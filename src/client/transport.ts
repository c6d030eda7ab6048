// ApiClient: JSON requests to the API server over one keep-alive agent.
// Every component shares this path, so connection reuse, timeouts and error
// mapping live in one place.
import http from 'node:http';
import https from 'node:https';
import { ApiTransportError, errorFromResponse } from './errors.js';
import type { ClientConfig } from './kubeconfig.js';

export type QueryValue = string | number | boolean | undefined;
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  /** Serialized as JSON unless already a string. */
  body?: unknown;
  contentType?: string;
  /** Overall deadline for the request; 0 disables it (watches). */
  timeoutMs?: number;
}

export interface ApiClientOptions {
  /** Shown in the User-Agent as `kubets/<component>`. */
  component?: string;
  timeoutMs?: number;
  maxSockets?: number;
  /** Dial this unix socket instead of the server URL's host and port (TLS and paths stay the URL's). */
  socketPath?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function buildQuery(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

export class ApiClient {
  readonly server: URL;
  private readonly agent: http.Agent;
  private readonly secure: boolean;
  private readonly userAgent: string;
  private readonly timeoutMs: number;
  private readonly socketPath: string | undefined;

  constructor(readonly config: ClientConfig, opts: ApiClientOptions = {}) {
    this.server = new URL(config.server);
    this.secure = this.server.protocol === 'https:';
    const agentOptions = { keepAlive: true, maxSockets: opts.maxSockets ?? 64 };
    this.agent = this.secure
      ? new https.Agent({
          ...agentOptions,
          ca: config.ca,
          cert: config.cert,
          key: config.key,
          rejectUnauthorized: !config.insecureSkipTLSVerify,
        })
      : new http.Agent(agentOptions);
    this.userAgent = `kubets/${opts.component ?? 'client'}`;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.socketPath = opts.socketPath;
  }

  /** Sends a request and parses the JSON reply; a non-2xx reply throws ApiStatusError. */
  async request<T = unknown>(opts: RequestOptions): Promise<T> {
    const res = await this.send(opts);
    const text = await readBody(res);
    if (!res.statusCode || res.statusCode >= 300) throw errorFromResponse(res.statusCode ?? 500, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** As request, for writers that never look at the answer: a 2xx body is drained unparsed. */
  async requestDiscardingReply(opts: RequestOptions): Promise<void> {
    await drain(await this.sendExpectingSuccess(opts));
  }

  /**
   * Opens a streaming request (watch, logs). Resolves with the response once
   * a 2xx status arrives; the caller consumes and ends it.
   */
  stream(opts: Omit<RequestOptions, 'timeoutMs'>): Promise<http.IncomingMessage> {
    return this.sendExpectingSuccess({ ...opts, timeoutMs: 0 });
  }

  /** The response once a 2xx status arrives, its body still unread; any other status throws its ApiStatusError. */
  private async sendExpectingSuccess(opts: RequestOptions): Promise<http.IncomingMessage> {
    const res = await this.send(opts);
    if (!res.statusCode || res.statusCode >= 300) throw errorFromResponse(res.statusCode ?? 500, await readBody(res));
    return res;
  }

  /** Closes idle keep-alive sockets (call when the component stops). */
  close(): void {
    this.agent.destroy();
  }

  private send(opts: RequestOptions): Promise<http.IncomingMessage> {
    const headers: http.OutgoingHttpHeaders = { Accept: 'application/json', 'User-Agent': this.userAgent };
    if (this.config.token) headers.Authorization = `Bearer ${this.config.token}`;
    let payload: string | undefined;
    if (opts.body !== undefined) {
      payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = Buffer.byteLength(payload);
    }
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const lib = this.secure ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(
        {
          protocol: this.server.protocol,
          hostname: this.server.hostname,
          port: this.server.port,
          socketPath: this.socketPath,
          method: opts.method,
          path: this.server.pathname.replace(/\/$/, '') + opts.path + buildQuery(opts.query),
          headers,
          agent: this.agent,
        },
        (res) => {
          // The deadline covers the whole body for plain requests; streams own their lifetime.
          if (timer && timeoutMs > 0) res.once('close', () => clearTimeout(timer));
          else if (timer) clearTimeout(timer);
          resolve(res);
        },
      );
      const timer =
        timeoutMs > 0
          ? setTimeout(() => req.destroy(new ApiTransportError(`${opts.method} ${opts.path}: timed out after ${timeoutMs} ms`)), timeoutMs)
          : undefined;
      req.on('error', (err) => {
        if (timer) clearTimeout(timer);
        reject(err instanceof ApiTransportError ? err : new ApiTransportError(`${opts.method} ${opts.path}: ${err.message}`, err));
      });
      req.end(payload);
    });
  }
}

function drain(res: http.IncomingMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    res.on('data', () => {});
    res.on('end', resolve);
    res.on('error', (err) => reject(new ApiTransportError(`reading response: ${err.message}`, err)));
  });
}

function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', (err) => reject(new ApiTransportError(`reading response: ${err.message}`, err)));
  });
}
