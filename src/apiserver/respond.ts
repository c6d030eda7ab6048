// Writing responses: JSON or YAML bodies, Status errors, Warning headers.
import type { ServerResponse } from 'node:http';
import YAML from 'yaml';
import type { ResponseFormat } from './codec.js';
import { toApiError } from './status.js';

export function send(res: ServerResponse, code: number, body: unknown, format?: Pick<ResponseFormat, 'yaml'>, warnings: string[] = []): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const yaml = format?.yaml ?? false;
  const text = yaml ? YAML.stringify(body) : JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    'Content-Type': yaml ? 'application/yaml' : 'application/json',
    'Cache-Control': 'no-cache, private',
  };
  if (warnings.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(text);
}

/** Sends an already-serialized JSON body. */
export function sendRaw(res: ServerResponse, code: number, json: string, warnings: string[] = []): void {
  const headers: Record<string, string | string[]> = { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' };
  if (warnings.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(json);
}

export function sendError(res: ServerResponse, err: unknown, format?: Pick<ResponseFormat, 'yaml'>): void {
  const e = toApiError(err);
  send(res, e.code, e.toStatus(), format);
}
