// kubectl 1.30+ port-forward over WebSocket (subprotocol
// SPDY/3.1+portforward.k8s.io): the binary messages carry a SPDY connection,
// which is piped as bytes into a SPDY upgrade to the runtime's port-forward
// URL; the SPDY itself is spoken between kubectl and the runtime.
import type { RawData, WebSocket } from 'ws';
import type { Logger } from '../../util/log.js';
import type { UpgradedConnection } from './runtime-dial.js';

export const WS_PORTFORWARD = 'SPDY/3.1+portforward.k8s.io';

export function bridgePortForwardWebSocket(ws: WebSocket, runtime: UpgradedConnection, logger: Logger): void {
  const sock = runtime.socket;
  // Back-pressure: stop reading from the runtime while many sends are still queued on the WebSocket.
  let queued = 0;
  const toClient = (chunk: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    queued++;
    if (queued > 64) sock.pause();
    ws.send(chunk, { binary: true }, () => {
      queued--;
      if (queued <= 16 && sock.isPaused()) sock.resume();
    });
  };
  if (runtime.head.length) toClient(runtime.head);
  sock.on('data', toClient);
  ws.on('message', (raw: RawData) => {
    const data = Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
    if (!sock.destroyed) sock.write(data);
  });
  const end = () => {
    sock.destroy();
    if (ws.readyState === ws.OPEN) ws.close(1000);
  };
  ws.on('close', end);
  ws.on('error', (err) => logger.debug('port-forward websocket error', { err }));
  sock.on('close', end);
  sock.on('error', (err) => logger.debug('port-forward runtime error', { err }));
  sock.resume();
}
