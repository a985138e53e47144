// A client for the ingress tests: one HTTP(S) request to the controller with a chosen Host
// header (and SNI name), answering status, headers, body and the server certificate's CN.
import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';

export interface Asked {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** the JSON a fixture backend answers with, when it answered */
  json?: any;
  /** the certificate's subject CN (HTTPS) */
  cn?: string;
}

export interface AskOptions {
  host?: string;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  https?: boolean;
  /** the SNI name (default: host) */
  servername?: string;
  /** where the controller listens (default 127.0.0.1) */
  address?: string;
}

export function ask(port: number, o: AskOptions = {}): Promise<Asked> {
  const mod = o.https ? https : http;
  const headers: Record<string, string> = { ...(o.host !== undefined ? { host: o.host } : {}), ...o.headers };
  return new Promise((resolve, reject) => {
    const req = mod.request({
      host: o.address ?? '127.0.0.1', port, path: o.path ?? '/', method: o.method ?? 'GET', headers, agent: false,
      ...(o.https ? { rejectUnauthorized: false, servername: o.servername ?? o.host?.replace(/:\d+$/, '') } : {}),
    }, (res) => {
      const cn = o.https ? (res.socket as TLSSocket).getPeerCertificate()?.subject?.CN : undefined;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        let json: any;
        if (res.headers['x-backend']) json = JSON.parse(body);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json, cn: Array.isArray(cn) ? cn[0] : cn });
      });
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

/** nginx's stock page for a status, as the controller sends it. */
export const nginxPage = (title: string) => `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
