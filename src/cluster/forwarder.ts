// The host's way in: a TCP listener on loopback that pipes each connection to
// the API server's unix socket (TLS passes through untouched), so host
// traffic stays on 127.0.0.1 while the API server lives in its namespace.
import net from 'node:net';

export interface Forwarder {
  port: number;
  close(): Promise<void>;
}

export async function startLoopbackForwarder(socketPath: string, port = 0): Promise<Forwarder> {
  const conns = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(socketPath);
    conns.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      conns.delete(client);
      conns.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const c of conns) c.destroy();
      }),
  };
}
