// The contract between the stream protocols (this folder) and whatever finally runs the command
// or opens the port (the kubelet, a container engine, or a test's local process).
import type { Duplex, Readable, Writable } from 'node:stream';

export interface ExecRequest {
  namespace: string;
  pod: string;
  container?: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export interface ExecProcess {
  /** Present when the request asked for stdin; ended when the client's stdin ends. */
  stdin?: Writable;
  stdout: Readable;
  /** Absent with a TTY (the terminal merges stderr into stdout). */
  stderr?: Readable;
  resize(width: number, height: number): void;
  /** Resolves with the command's exit code once it has exited. */
  exitCode: Promise<number>;
  /** The client went away before the end: let go of the process (attach: detach from it). */
  cancel?(): void;
}

export interface ExecBackend {
  /**
   * Starts the command. Rejects when it cannot start: with an ApiError (src/api/status.ts) to send
   * that exact Status to kubectl, or any Error whose message kubectl then prints after
   * `Internal error occurred: ` (e.g. the runtime's `executable file not found in $PATH`).
   */
  exec(req: ExecRequest): Promise<ExecProcess>;
}

/** What `pods/attach` asks for: the same as exec, without a command (the container's main process). */
export type AttachRequest = Omit<ExecRequest, 'command'>;

export interface AttachBackend {
  /**
   * Attaches to the running container's main process. The process's exitCode resolves with 0 once
   * the attachment ends (the container exited, or the engine closed it): the kubelet reports
   * Success then, whatever the container's exit code. Whether output comes as one terminal stream
   * is the container's own setting (spec tty), not the request's. Rejects as ExecBackend.exec does.
   */
  attach(req: AttachRequest): Promise<ExecProcess>;
}

export interface PortForwardBackend {
  /** A byte stream to `port` inside the pod; rejects (message shown by kubectl) when it cannot connect. */
  connect(namespace: string, pod: string, port: number): Promise<Duplex>;
}
