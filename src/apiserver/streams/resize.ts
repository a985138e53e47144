// Terminal size messages on the resize stream/channel: a sequence of JSON objects
// `{"Width":W,"Height":H}` (client-go's TerminalSize), possibly split or joined across reads.

export interface TerminalSize {
  width: number;
  height: number;
}

/** Feeds text in, returns every complete size found so far; keeps the incomplete tail. */
export class ResizeDecoder {
  private buf = '';

  push(chunk: Buffer | string): TerminalSize[] {
    this.buf += chunk.toString();
    const out: TerminalSize[] = [];
    let depth = 0;
    let start = -1;
    let consumed = 0;
    for (let i = 0; i < this.buf.length; i++) {
      const c = this.buf[i];
      if (c === '{') {
        if (depth === 0) start = i;
        depth++;
      } else if (c === '}' && depth > 0) {
        depth--;
        if (depth === 0) {
          const size = parseSize(this.buf.slice(start, i + 1));
          if (size) out.push(size);
          consumed = i + 1;
        }
      }
    }
    this.buf = depth === 0 ? this.buf.slice(consumed).trimStart() : this.buf.slice(start);
    if (depth === 0 && !this.buf.startsWith('{')) this.buf = '';
    return out;
  }
}

export function parseSize(text: string): TerminalSize | null {
  try {
    const v = JSON.parse(text) as { Width?: unknown; Height?: unknown };
    const width = Number(v.Width);
    const height = Number(v.Height);
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) return null;
    return { width, height };
  } catch {
    return null;
  }
}
