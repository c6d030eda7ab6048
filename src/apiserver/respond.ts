// Writing responses: JSON or YAML bodies, Status errors, Warning headers.
import type { ServerResponse } from 'node:http';
import YAML from 'yaml';
import type { ResponseFormat } from './codec.js';
import { toApiError } from './status.js';
import { drained } from '../util/drained.js';

export function send(res: ServerResponse, code: number, body: unknown, format?: Pick<ResponseFormat, 'yaml'>, warnings: string[] = []): void {
  const yaml = format?.yaml ?? false;
  sendText(res, code, yaml ? YAML.stringify(body) : JSON.stringify(body), yaml ? 'application/yaml' : 'application/json', warnings);
}

/** Sends an already serialized body. */
export function sendText(res: ServerResponse, code: number, text: string, contentType = 'application/json', warnings: string[] = []): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const headers: Record<string, string | string[]> = { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private' };
  if (warnings.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(text);
}

/**
 * Sends a JSON body made of `head`, the `parts` joined by commas, and `tail`,
 * in chunks of about 256 KiB with back-pressure: a list of 10,000 objects
 * never exists as one 20 MB string (and its Buffer) in the server's heap.
 */
export async function sendJoined(res: ServerResponse, code: number, head: string, parts: readonly string[], tail: string, warnings: string[] = []): Promise<void> {
  const headers: Record<string, string | string[]> = { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' };
  if (warnings.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  const CHUNK = 256 * 1024;
  let buf = head;
  for (let i = 0; i < parts.length; i++) {
    buf += i === 0 ? parts[i] : `,${parts[i]}`;
    if (buf.length < CHUNK) continue;
    if (res.destroyed) return;
    if (!res.write(buf)) await drained(res);
    buf = '';
  }
  res.end(buf + tail);
}

export function sendError(res: ServerResponse, err: unknown, format?: Pick<ResponseFormat, 'yaml'>): void {
  const e = toApiError(err);
  send(res, e.code, e.toStatus(), format);
}
