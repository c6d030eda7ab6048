// Just enough DER reading to pull the subject Name and the public key bits out
// of certificates and SPKI blobs we (or OpenSSL) encoded.

export interface Element {
  tag: number;
  /** The whole TLV. */
  raw: Buffer;
  /** The value bytes. */
  content: Buffer;
}

export class DerError extends Error {
  override name = 'DerError';
}

function readOne(buf: Buffer, offset: number): Element {
  const tag = buf[offset];
  let len = buf[offset + 1];
  if (tag === undefined || len === undefined) throw new DerError('truncated DER element');
  let pos = offset + 2;
  if (len & 0x80) {
    const count = len & 0x7f;
    if (count === 0 || count > 4) throw new DerError('unsupported DER length');
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + (buf[pos + i] ?? 0);
    pos += count;
  }
  if (pos + len > buf.length) throw new DerError('DER element overruns its buffer');
  return { tag, raw: buf.subarray(offset, pos + len), content: buf.subarray(pos, pos + len) };
}

/** The children of a constructed element (or of a concatenation of elements). */
export function children(content: Buffer): Element[] {
  const out: Element[] = [];
  for (let off = 0; off < content.length; ) {
    const el = readOne(content, off);
    out.push(el);
    off += el.raw.length;
  }
  return out;
}

export function parse(der: Buffer): Element {
  return readOne(der, 0);
}

/** The subject Name (as DER) of a certificate. */
export function certificateSubject(certDer: Buffer): Buffer {
  const [tbs] = children(parse(certDer).content);
  if (!tbs) throw new DerError('certificate has no TBSCertificate');
  const fields = children(tbs.content);
  // With the [0] version present, subject is the 6th field; without it, the 5th.
  const subject = fields[fields[0]?.tag === 0xa0 ? 5 : 4];
  if (!subject) throw new DerError('certificate has no subject');
  return subject.raw;
}

/** The subjectPublicKey bit-string bytes of a SubjectPublicKeyInfo (for key identifiers). */
export function spkiKeyBits(spkiDer: Buffer): Buffer {
  const [, bits] = children(parse(spkiDer).content);
  if (!bits || bits.tag !== 0x03) throw new DerError('SPKI has no public key bit string');
  return bits.content.subarray(1);
}
