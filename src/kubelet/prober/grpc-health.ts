// gRPC probes: grpc.health.v1.Health/Check over plaintext HTTP/2. The two
// messages are tiny, so they are encoded by hand (field 1 of each: the
// service name string, the serving status enum) instead of loading a proto.
import * as grpc from '@grpc/grpc-js';

/** HealthCheckResponse.ServingStatus */
export const SERVING = 1;

function encodeRequest(service: string): Buffer {
  const s = Buffer.from(service, 'utf8');
  if (s.length === 0) return Buffer.alloc(0);
  const len: number[] = [];
  let n = s.length;
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    len.push(b);
  } while (n);
  return Buffer.concat([Buffer.from([0x0a, ...len]), s]);
}

/** The status field (1, varint) of a HealthCheckResponse; 0 (UNKNOWN) when absent. */
export function decodeStatus(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const key = buf[i++]!;
    const field = key >> 3;
    const wire = key & 7;
    let v = 0;
    let shift = 0;
    if (wire === 0) {
      for (;;) {
        const b = buf[i++]!;
        v |= (b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80)) break;
      }
      if (field === 1) return v;
    } else if (wire === 2) {
      let len = 0;
      for (;;) {
        const b = buf[i++]!;
        len |= (b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80)) break;
      }
      i += len;
    } else {
      break;
    }
  }
  return 0;
}

/** Resolves with the serving status; rejects when the call fails. */
export function grpcHealthCheck(host: string, port: number, service: string, timeoutMs: number): Promise<number> {
  const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const client = new grpc.Client(target, grpc.credentials.createInsecure());
  return new Promise<number>((resolve, reject) => {
    client.makeUnaryRequest(
      '/grpc.health.v1.Health/Check',
      (s: string) => encodeRequest(s),
      (b: Buffer) => decodeStatus(b),
      service,
      new grpc.Metadata(),
      { deadline: Date.now() + timeoutMs },
      (err, status) => (err ? reject(new Error(`rpc error: code = ${grpc.status[err.code] ?? err.code} desc = ${err.details}`)) : resolve(status ?? 0)),
    );
  }).finally(() => client.close());
}
