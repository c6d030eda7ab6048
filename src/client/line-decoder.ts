// Splits a byte stream into lines. Chunks may end mid-line or even
// mid-character, so bytes are buffered until a newline arrives.

export class LineDecoder {
  private pending: Buffer[] = [];

  /** Feeds a chunk; returns the complete (non-empty) lines it finished. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, start)) {
      this.pending.push(chunk.subarray(start, i));
      const line = Buffer.concat(this.pending).toString('utf8').trim();
      this.pending = [];
      if (line) lines.push(line);
      start = i + 1;
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
    return lines;
  }

  /** What is left when the stream ends (a last line without a newline). */
  flush(): string[] {
    const rest = Buffer.concat(this.pending).toString('utf8').trim();
    this.pending = [];
    return rest ? [rest] : [];
  }
}
