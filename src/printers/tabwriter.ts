// Go's text/tabwriter as kubectl configures it (printers.GetNewTabWriter: minwidth 6, tabwidth 4,
// padding 3, pad char ' '): every tab-terminated cell is padded to its column's width, the
// last cell of a line is written as is. Widths count runes, as Go does.

export interface TabwriterOptions { minWidth?: number; padding?: number }

const runeLength = (s: string): number => Array.from(s).length;

/** Aligns `lines` (cells per line) the way kubectl's tabwriter would; each line ends with '\n'. */
export function tabwrite(lines: string[][], opts: TabwriterOptions = {}): string {
  const minWidth = opts.minWidth ?? 6;
  const padding = opts.padding ?? 3;
  let out = '';
  // Column widths are computed over blocks of consecutive lines that have a cell in that
  // column (a cell is "in a column" only if a tab follows it, i.e. it is not the line's last).
  const widthsFor = (start: number, column: number): { width: number; end: number } => {
    let width = minWidth;
    let end = start;
    for (; end < lines.length; end++) {
      const line = lines[end]!;
      if (column >= line.length - 1) break;
      width = Math.max(width, runeLength(line[column]!) + padding);
    }
    return { width, end };
  };
  const widths: number[][] = lines.map((l) => new Array(Math.max(0, l.length - 1)).fill(0));
  const format = (start: number, end: number, column: number): void => {
    let i = start;
    while (i < end) {
      if (column >= lines[i]!.length - 1) {
        i++;
        continue;
      }
      const block = widthsFor(i, column);
      for (let j = i; j < block.end; j++) widths[j]![column] = block.width;
      format(i, block.end, column + 1);
      i = block.end;
    }
  };
  format(0, lines.length, 0);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    for (let c = 0; c < line.length; c++) {
      const text = line[c]!;
      if (c < line.length - 1) out += text + ' '.repeat(Math.max(0, widths[i]![c]! - runeLength(text)));
      else out += text;
    }
    out += '\n';
  }
  return out;
}
