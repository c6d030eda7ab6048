// SPDY/3 header blocks are zlib-compressed with one stream per direction for
// the whole connection (and the SPDY/3 dictionary), each block ending with a
// sync flush. Node's zlib streams are asynchronous, so calls are serialised.
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.js';

class Serial {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.tail.then(fn, fn);
    this.tail = p.catch(() => {});
    return p;
  }
}

function through(z: Deflate | Inflate, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onData = (c: Buffer) => chunks.push(c);
    const onError = (err: Error) => {
      z.off('data', onData);
      reject(err);
    };
    z.on('data', onData);
    z.once('error', onError);
    z.write(input);
    z.flush(constants.Z_SYNC_FLUSH, () => {
      z.off('data', onData);
      z.off('error', onError);
      resolve(Buffer.concat(chunks));
    });
  });
}

export class HeaderCompressor {
  private readonly z = createDeflate({ dictionary: SPDY3_DICTIONARY });
  private readonly serial = new Serial();
  compress(block: Buffer): Promise<Buffer> {
    return this.serial.run(() => through(this.z, block));
  }
  close(): void {
    this.z.close();
  }
}

export class HeaderDecompressor {
  private readonly z = createInflate({ dictionary: SPDY3_DICTIONARY });
  private readonly serial = new Serial();
  decompress(data: Buffer): Promise<Buffer> {
    return this.serial.run(() => through(this.z, data));
  }
  close(): void {
    this.z.close();
  }
}
