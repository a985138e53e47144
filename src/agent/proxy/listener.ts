// One listening socket the proxy keeps open: bound at once, and when the port is taken (by
// someone else, or not yet released) tried again every retryMs until it binds or is closed.
// The TCP plane and the health-check plane hold their sockets through it.
import type { Server } from 'node:net';

export interface ListenerOptions {
  /** how long before a port that could not be bound is tried again (default 2000 ms) */
  retryMs?: number;
  log?: (line: string) => void;
  /** what the log line says cannot be served, e.g. `listen on 0.0.0.0:80/TCP` */
  what: string;
}

export class RetryingListener {
  readonly host: string;
  readonly port: number;
  server?: Server;
  /** the last bind error, while not listening */
  error?: string;
  closed = false;
  private retry?: NodeJS.Timeout;
  private readonly create: () => Server;
  private readonly o: ListenerOptions;

  constructor(create: () => Server, host: string, port: number, o: ListenerOptions) {
    this.create = create;
    this.host = host;
    this.port = port;
    this.o = o;
    this.bind();
  }

  get listening(): boolean {
    return this.server?.listening === true;
  }

  /** bound, failed at least once, or closed */
  get settled(): boolean {
    return this.closed || this.listening || this.error !== undefined;
  }

  /** Stops listening (and retrying); resolves once the socket is closed. */
  close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const s = this.server;
    if (!s?.listening) return Promise.resolve();
    return new Promise<void>((r) => {
      s.close(() => r());
      (s as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
    });
  }

  private bind(): void {
    const server = this.create();
    this.server = server;
    server.once('error', (e: NodeJS.ErrnoException) => {
      this.error = `${e.code ?? 'error'}: ${e.message}`;
      server.close();
      if (this.closed) return;
      this.o.log?.(`proxy: cannot ${this.o.what} (${this.error}); retrying`);
      this.retry = setTimeout(() => {
        if (!this.closed) this.bind();
      }, this.o.retryMs ?? 2000);
    });
    server.listen({ host: this.host, port: this.port }, () => {
      this.error = undefined;
      if (this.closed) server.close();
    });
  }
}
