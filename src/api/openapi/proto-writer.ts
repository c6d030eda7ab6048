// A minimal protobuf (proto3) writer: enough to encode the gnostic OpenAPI v2
// document kubectl asks /openapi/v2 for. Fields are written in call order.

export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  private varint(n: number): void {
    const out: number[] = [];
    let v = n;
    while (v > 0x7f) {
      out.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(v);
    this.push(Uint8Array.from(out));
  }

  private tag(field: number, wireType: 0 | 2): void {
    this.varint(field * 8 + wireType);
  }

  /** Writes a string field, skipping empty ones as proto3 does. */
  string(field: number, value: string | undefined): this {
    if (value === undefined || value === '') return this;
    const bytes = new TextEncoder().encode(value);
    this.tag(field, 2);
    this.varint(bytes.length);
    this.push(bytes);
    return this;
  }

  strings(field: number, values: readonly string[] | undefined): this {
    for (const v of values ?? []) {
      const bytes = new TextEncoder().encode(v);
      this.tag(field, 2);
      this.varint(bytes.length);
      this.push(bytes);
    }
    return this;
  }

  bool(field: number, value: boolean | undefined): this {
    if (!value) return this;
    this.tag(field, 0);
    this.varint(1);
    return this;
  }

  /** Writes an embedded message built by `build` (always, even when empty). */
  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    const bytes = inner.finish();
    this.tag(field, 2);
    this.varint(bytes.length);
    this.push(bytes);
    return this;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}
