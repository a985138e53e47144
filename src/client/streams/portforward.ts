// port-forward, client end (client-go's portforward.PortForwarder): one SPDY/3.1 connection to
// pods/NAME/portforward (`X-Stream-Protocol-Version: portforward.k8s.io`), local listeners on
// each address, and per accepted connection an `error` + `data` stream pair with the remote port
// and a counting `requestid`. What the error stream says is reported for that connection only.
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { Connection } from '../index.ts';
import { resourcePath } from '../paths.ts';
import { R } from '../../api/resources.ts';
import { UserError } from '../../lib/errors.ts';
import { upgrade } from './connection.ts';
import { SpdySession } from '../../lib/spdy/session.ts';

export interface PortPair {
  local: number; // 0: pick one
  remote: number;
}

export interface ForwardEvents {
  /** `Forwarding from 127.0.0.1:6379 -> 6379` */
  listening(line: string): void;
  /** `Handling connection for 6379` */
  connection(line: string): void;
  /** `an error occurred forwarding 6379 -> 6379: …` (the forward keeps running) */
  error(line: string): void;
}

export interface ForwardOptions {
  namespace: string;
  pod: string;
  addresses: string[]; // `localhost` means 127.0.0.1 and ::1
  ports: PortPair[];
  events: ForwardEvents;
}

export interface RunningForward {
  /** The local ports actually bound, in the order of `ports`. */
  ports: PortPair[];
  /** Resolves when the forward ends: close() or the connection to the server is lost (rejects then). */
  done: Promise<void>;
  close(): Promise<void>;
}

const PODS = R.pods;

export async function startPortForward(conn: Connection, o: ForwardOptions): Promise<RunningForward> {
  const path = resourcePath(PODS, { namespace: o.namespace, name: o.pod, subresource: 'portforward' });
  const { socket, head } = await upgrade(conn, path, 'POST', { upgrade: 'SPDY/3.1', 'x-stream-protocol-version': 'portforward.k8s.io' });
  const session = new SpdySession(socket, { role: 'client', head });
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  let requestId = 0;
  let closing = false;

  const handle = async (local: Socket, pair: PortPair) => {
    sockets.add(local);
    local.on('close', () => sockets.delete(local));
    local.on('error', () => undefined);
    o.events.connection(`Handling connection for ${pair.local}`);
    const id = String(requestId++);
    const base = { port: String(pair.remote), requestid: id };
    let errorText = '';
    try {
      const errStream = await session.open({ streamtype: 'error', ...base });
      errStream.on('error', () => undefined);
      errStream.end(); // we only read it
      const errRead = new Promise<void>((resolve) => {
        errStream.on('data', (d: Buffer) => (errorText += d.toString()));
        errStream.on('end', resolve);
        errStream.on('close', resolve);
      });
      const data = await session.open({ streamtype: 'data', ...base });
      data.on('error', () => undefined);
      local.pipe(data);
      data.pipe(local);
      await new Promise<void>((resolve) => {
        data.on('end', resolve);
        data.on('close', resolve);
        local.on('close', () => {
          if (!data.writableEnded) data.end();
          resolve();
        });
      });
      await errRead;
    } catch (err) {
      local.destroy();
      if (!closing) o.events.error(`error creating forwarding stream for port ${pair.local} -> ${pair.remote}: ${(err as Error).message}`);
      return;
    }
    if (errorText) o.events.error(`an error occurred forwarding ${pair.local} -> ${pair.remote}: ${errorText}`);
    local.end();
  };

  const bound: PortPair[] = [];
  try {
    for (const p of o.ports) {
      const pair = { ...p };
      let any = false;
      for (const addr of expandAddresses(o.addresses)) {
        const server = createServer((s) => void handle(s, pair));
        try {
          await listen(server, addr, pair.local);
        } catch (err) {
          if (addr === '::1' && o.addresses.includes('localhost')) continue; // ::1 only when it can be bound
          throw new UserError(`error: unable to listen on port ${pair.local}: ${(err as Error).message}`);
        }
        servers.push(server);
        any = true;
        pair.local = (server.address() as AddressInfo).port;
        o.events.listening(`Forwarding from ${addr.includes(':') ? `[${addr}]` : addr}:${pair.local} -> ${pair.remote}`);
      }
      if (!any) throw new UserError(`error: unable to listen on any of the requested ports: [{${p.local} ${p.remote}}]`);
      bound.push(pair);
    }
  } catch (e) {
    for (const s of servers) s.close();
    session.destroy();
    throw e;
  }

  const close = async () => {
    closing = true;
    for (const s of servers) s.close();
    for (const s of sockets) s.destroy();
    await session.close();
  };
  const done = new Promise<void>((resolve, reject) => {
    session.on('close', () => {
      for (const s of servers) s.close();
      for (const s of sockets) s.destroy();
      if (closing) resolve();
      else reject(new UserError('error: lost connection to pod'));
    });
  });
  done.catch(() => undefined);
  return { ports: bound, done, close };
}

function expandAddresses(list: string[]): string[] {
  const out: string[] = [];
  for (const a of list) for (const x of a === 'localhost' ? ['127.0.0.1', '::1'] : [a]) if (!out.includes(x)) out.push(x);
  return out;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, ipv6Only: host.includes(':') }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** `8080`, `5000:8080`, `:8080`, `0:8080` as kubectl reads them; a name stays for the caller to resolve. */
export function parsePortSpec(spec: string): { local: number | undefined; remote: string } {
  const parts = spec.split(':');
  if (parts.length > 2) throw new UserError(`error: invalid port format '${spec}'`);
  if (parts.length === 1) return { local: undefined, remote: spec };
  const [l, r] = parts as [string, string];
  if (l === '') return { local: 0, remote: r };
  const local = Number(l);
  if (!/^\d+$/.test(l) || local > 65535) throw new UserError(`error: Error parsing local port '${l}': strconv.ParseUint: parsing "${l}": invalid syntax`);
  return { local, remote: r };
}
