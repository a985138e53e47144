// Where command output goes: real stdout/stderr in the CLI, a buffer in tests.

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
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
