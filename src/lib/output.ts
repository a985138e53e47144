// Where command output goes: real stdout/stderr in the CLI, a buffer in tests. Shared by the
// commands (src/cli) and the lifecycle (src/cluster), which write progress and result lines.

export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** stdout / stderr is a terminal (styled lines get their emoji) */
  tty?: boolean;
  errTty?: boolean;
}

export const processOutput: Output = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  tty: Boolean(process.stdout.isTTY),
  errTty: Boolean(process.stderr.isTTY),
};

/** Collects output for tests. */
export function bufferOutput(): Output & { stdout: string; stderr: string } {
  const b = {
    stdout: '',
    stderr: '',
    out(t: string) {
      b.stdout += t;
    },
    err(t: string) {
      b.stderr += t;
    },
  };
  return b;
}
