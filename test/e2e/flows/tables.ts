// Reading the tables mk and kubectl print, for the e2e tests: AGE masking (so texts taken
// apart compare), blank-run squashing (to compare with a seed's text) and pod rows as a user
// reads them. Pure functions of text.

/** Masks AGE cells (`5s`, `3m10s`, `2d3h`) keeping their width, so tables taken apart compare. */
export function maskAge(table: string): string {
  return table.replace(/(?<=\s)\d+[smhdy](\d+[smhd])?(?=\s|$)/gm, (m) => '~'.repeat(m.length));
}

/** AGE cells at the end of a line become `<age>` (AGE is the last column in every table we compare). */
export function maskTrailingAge(table: string): string {
  return table.replace(/(?<=\s)\d+[smhdy](\d+[smhd])?$/gm, '<age>');
}

/** A table or describe text with runs of blanks made one space: for comparing with a seed's text. */
export const squash = (t: string) => t.split('\n').map((l) => l.replace(/\s+/g, ' ').trimEnd()).join('\n');

/** Pod rows of `mk get pods` (or kubectl's) as {name, ready, status, node?}: what the user reads. */
export function podRows(table: string): Array<{ name: string; ready: string; status: string; restarts: string; node?: string }> {
  const lines = table.split('\n').filter(Boolean);
  const head = lines.shift() ?? '';
  const nodeAt = head.indexOf('NODE ');
  return lines.map((l) => {
    const [name, ready, status, restarts] = l.split(/\s+/);
    const node = nodeAt >= 0 ? l.slice(nodeAt).split(/\s+/)[0] : undefined;
    return { name: name!, ready: ready!, status: status!, restarts: restarts!, node };
  });
}
