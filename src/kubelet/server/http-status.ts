// Status replies of the kubelet API, on a response or on a raw upgrade socket.
import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  500: 'InternalError',
  502: 'InternalError',
  503: 'ServiceUnavailable',
};

export class KubeletHttpError extends Error {
  override name = 'KubeletHttpError';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export function statusBody(code: number, message: string): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: REASONS[code] ?? 'InternalError', code });
}

export function sendStatus(res: ServerResponse, code: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = statusBody(code, message);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** An HTTP error response written straight onto a socket that asked to upgrade. */
export function rejectUpgrade(socket: Duplex, code: number, message: string): void {
  if (socket.destroyed) return;
  const body = statusBody(code, message);
  socket.end(
    `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
