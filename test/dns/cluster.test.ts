// The cluster zone over the wire: a table of questions and the exact replies (rcode, flags,
// records with TTLs, SOA in the authority section) from the fixture Services, Endpoints and Pods.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterZone, chain, startDnsServer, type DnsServer } from '../../src/agent/dns/index.ts';
import { reply } from '../../src/agent/dns/types.ts';
import { fixtureRecords } from './fixtures.ts';
import { ask, show } from './ask.ts';

const SOA = '; cluster.local 5 SOA ns.dns.cluster.local hostmaster.cluster.local 7200 1800 86400 5';
const Z = 'svc.cluster.local';
let server: DnsServer;
const upstreamAsked: string[] = [];

before(async () => {
  const records = fixtureRecords();
  // the next handler stands in for forward: it answers REFUSED and notes what reached it
  const next = { name: 'stub', serve: (q: { name: string; type: string }) => { upstreamAsked.push(`${q.name} ${q.type}`); return reply('REFUSED'); } };
  server = await startDnsServer({ host: '127.0.0.1', port: 0, handle: chain([new ClusterZone({ records, dnsIP: '10.96.0.10' }), next]), generation: () => records.generation });
});
after(() => server.close());

const cases: Array<[string, string, string]> = [
  [`httpd-svc.default.${Z}`, 'A', `NOERROR aa rd ra\nhttpd-svc.default.${Z} 5 A 10.105.253.35`],
  [`HTTPD-svc.Default.${Z}.`, 'A', `NOERROR aa rd ra\nHTTPD-svc.Default.${Z} 5 A 10.105.253.35`],
  [`httpd-svc.default.${Z}`, 'AAAA', `NOERROR aa rd ra\n${SOA}`],
  [`httpd-svc.default.${Z}`, 'TXT', `NOERROR aa rd ra\n${SOA}`],
  [`nope.default.${Z}`, 'A', `NXDOMAIN aa rd ra\n${SOA}`],
  [`nope.default.${Z}`, 'AAAA', `NXDOMAIN aa rd ra\n${SOA}`],
  [`httpd-svc.nowhere.${Z}`, 'A', `NXDOMAIN aa rd ra\n${SOA}`],
  [`default.${Z}`, 'A', `NOERROR aa rd ra\n${SOA}`],
  [`nowhere.${Z}`, 'A', `NXDOMAIN aa rd ra\n${SOA}`],
  [Z, 'A', `NOERROR aa rd ra\n${SOA}`],
  ['cluster.local', 'SOA', `NOERROR aa rd ra\ncluster.local 5 SOA ns.dns.cluster.local hostmaster.cluster.local 7200 1800 86400 5`],
  ['cluster.local', 'NS', `NOERROR aa rd ra\ncluster.local 5 NS ns.dns.cluster.local\n+ ns.dns.cluster.local 5 A 10.96.0.10`],
  ['dns-version.cluster.local', 'TXT', `NOERROR aa rd ra\ndns-version.cluster.local 5 TXT 1.1.0`],
  ['ns.dns.cluster.local', 'A', `NOERROR aa rd ra\nns.dns.cluster.local 5 A 10.96.0.10`],
  ['whatever.cluster.local', 'A', `NXDOMAIN aa rd ra\n${SOA}`],
  [`headless-svc.default.${Z}`, 'A', [
    'NOERROR aa rd ra',
    `headless-svc.default.${Z} 5 A 10.244.1.95`,
    `headless-svc.default.${Z} 5 A 10.244.2.115`,
    `headless-svc.default.${Z} 5 A 10.244.0.19`].join('\n')],
  [`empty-headless.default.${Z}`, 'A', `NXDOMAIN aa rd ra\n${SOA}`],
  [`10-244-1-95.headless-svc.default.${Z}`, 'A', `NOERROR aa rd ra\n10-244-1-95.headless-svc.default.${Z} 5 A 10.244.1.95`],
  [`web-0.headless-svc.default.${Z}`, 'A', `NOERROR aa rd ra\nweb-0.headless-svc.default.${Z} 5 A 10.244.0.19`],
  [`10-244-0-19.headless-svc.default.${Z}`, 'A', `NXDOMAIN aa rd ra\n${SOA}`],
  [`10-244-1-7.httpd-svc.default.${Z}`, 'A', `NOERROR aa rd ra\n10-244-1-7.httpd-svc.default.${Z} 5 A 10.244.1.7`],
  [`_http._tcp.httpd-svc.default.${Z}`, 'SRV', `NOERROR aa rd ra\n_http._tcp.httpd-svc.default.${Z} 5 SRV 0 100 80 httpd-svc.default.${Z}\n+ httpd-svc.default.${Z} 5 A 10.105.253.35`],
  [`_http._udp.httpd-svc.default.${Z}`, 'SRV', `NXDOMAIN aa rd ra\n${SOA}`],
  [`_web._tcp.headless-svc.default.${Z}`, 'SRV', [
    'NOERROR aa rd ra',
    `_web._tcp.headless-svc.default.${Z} 5 SRV 0 33 8080 10-244-1-95.headless-svc.default.${Z}`,
    `_web._tcp.headless-svc.default.${Z} 5 SRV 0 33 8080 10-244-2-115.headless-svc.default.${Z}`,
    `_web._tcp.headless-svc.default.${Z} 5 SRV 0 33 8080 web-0.headless-svc.default.${Z}`,
    `+ 10-244-1-95.headless-svc.default.${Z} 5 A 10.244.1.95`,
    `+ 10-244-2-115.headless-svc.default.${Z} 5 A 10.244.2.115`,
    `+ web-0.headless-svc.default.${Z} 5 A 10.244.0.19`].join('\n')],
  [`_dns._udp.kube-dns.kube-system.${Z}`, 'SRV', `NOERROR aa rd ra\n_dns._udp.kube-dns.kube-system.${Z} 5 SRV 0 100 53 kube-dns.kube-system.${Z}\n+ kube-dns.kube-system.${Z} 5 A 10.96.0.10`],
  [`db.shop.${Z}`, 'CNAME', `NOERROR aa rd ra\ndb.shop.${Z} 5 CNAME httpd-svc.default.${Z}`],
  [`db.shop.${Z}`, 'A', `NOERROR aa rd ra\ndb.shop.${Z} 5 CNAME httpd-svc.default.${Z}\nhttpd-svc.default.${Z} 5 A 10.105.253.35`],
  [`outside.shop.${Z}`, 'CNAME', `NOERROR aa rd ra\noutside.shop.${Z} 5 CNAME db.example.test`],
  [`outside.shop.${Z}`, 'A', `NOERROR aa rd ra\noutside.shop.${Z} 5 CNAME db.example.test`],
  ['10-244-1-50.default.pod.cluster.local', 'A', 'NOERROR aa rd ra\n10-244-1-50.default.pod.cluster.local 5 A 10.244.1.50'],
  ['10-244-1-50.default.pod.cluster.local', 'AAAA', `NOERROR aa rd ra\n${SOA}`],
  ['10-244-1.default.pod.cluster.local', 'A', `NXDOMAIN aa rd ra\n${SOA}`],
  ['10-244-1-50.nowhere.pod.cluster.local', 'A', `NXDOMAIN aa rd ra\n${SOA}`],
  ['35.253.105.10.in-addr.arpa', 'PTR', `NOERROR aa rd ra\n35.253.105.10.in-addr.arpa 5 PTR httpd-svc.default.${Z}`],
  ['10.0.96.10.in-addr.arpa', 'PTR', `NOERROR aa rd ra\n10.0.96.10.in-addr.arpa 5 PTR kube-dns.kube-system.${Z}`],
  ['95.1.244.10.in-addr.arpa', 'PTR', `NOERROR aa rd ra\n95.1.244.10.in-addr.arpa 5 PTR 10-244-1-95.headless-svc.default.${Z}`],
  ['19.0.244.10.in-addr.arpa', 'PTR', `NOERROR aa rd ra\n19.0.244.10.in-addr.arpa 5 PTR web-0.headless-svc.default.${Z}`],
  ['50.1.244.10.in-addr.arpa', 'PTR', 'NOERROR aa rd ra\n50.1.244.10.in-addr.arpa 5 PTR 10-244-1-50.default.pod.cluster.local'],
  ['35.253.105.10.in-addr.arpa', 'A', 'NOERROR aa rd ra\n; in-addr.arpa 5 SOA ns.dns.cluster.local hostmaster.cluster.local 7200 1800 86400 5'],
  // not ours: passed to the next handler
  ['99.99.96.10.in-addr.arpa', 'PTR', 'REFUSED rd ra'],
  ['example.test', 'A', 'REFUSED rd ra'],
];

test('cluster zone answers', async () => {
  for (const [name, type, want] of cases) {
    assert.equal(show(await ask(server.port, name, type, { tcp: true })), want, `${name} ${type} TCP`);
    assert.equal(show(await ask(server.port, name, type, { edns: 4096 })), want, `${name} ${type} UDP+EDNS`);
  }
  assert.deepEqual(upstreamAsked.filter((x, i, a) => a.indexOf(x) === i), ['db.example.test A', '99.99.96.10.in-addr.arpa PTR', 'example.test A']);
});
