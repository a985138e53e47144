// Splits a byte stream of concatenated JSON objects (a watch response) into whole objects,
// whatever the chunk boundaries. Tracks braces outside strings; newlines are not required.

export class JsonObjectSplitter {
  private buf = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  private scanned = 0;

  /** Feeds a chunk; returns the JSON texts completed by it. */
  push(chunk: string): string[] {
    this.buf += chunk;
    const out: string[] = [];
    let i = this.scanned;
    for (; i < this.buf.length; i++) {
      const ch = this.buf[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === '\\') this.escaped = true;
        else if (ch === '"') this.inString = false;
        continue;
      }
      if (ch === '"') this.inString = true;
      else if (ch === '{') {
        if (this.depth === 0) this.start = i;
        this.depth++;
      } else if (ch === '}') {
        this.depth--;
        if (this.depth === 0) {
          out.push(this.buf.slice(this.start, i + 1));
          this.buf = this.buf.slice(i + 1);
          i = -1;
          this.start = -1;
        }
      }
    }
    if (this.depth === 0) {
      this.buf = '';
      this.scanned = 0;
    } else this.scanned = this.buf.length;
    return out;
  }
}
