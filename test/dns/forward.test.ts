// Forwarding to the node's resolver: a fake upstream on 127.0.0.1 answers, truncates, returns
// NXDOMAIN or stays silent. Answers pass through (RA, no AA), are cached for their TTL (counted
// down), a silent upstream gives SERVFAIL after the timeout without holding other questions
// back, and a truncated answer to a TCP client is fetched again over TCP.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { decode, encode, type Answer } from 'dns-packet';
import { ClusterZone, Forward, chain, startDnsServer, type DnsServer } from '../../src/agent/dns/index.ts';
import { nameservers } from '../../src/agent/dns/upstream.ts';
import { fixtureRecords } from './fixtures.ts';
import { ask, show } from './ask.ts';

const asked: string[] = [];
let clock = 1_000_000;
let upUdp: dgram.Socket;
let upTcp: net.Server;
let server: DnsServer;
let forward: Forward;

function answerFor(buf: Buffer, tcp: boolean): Buffer | undefined {
  const q = decode(buf);
  const name = q.questions![0]!.name;
  asked.push(`${tcp ? 'tcp' : 'udp'} ${name} ${q.questions![0]!.type}`);
  if (name === 'silent.test') return undefined;
  const base = { type: 'response' as const, id: q.id, flags: 0x0180, questions: q.questions };
  if (name === 'missing.test') {
    return encode({ ...base, flags: 0x0183, authorities: [{ name: 'test', type: 'SOA', ttl: 60, data: { mname: 'ns.test', rname: 'root.test', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 20 } }] });
  }
  if (name === 'big.test') {
    const answers: Answer[] = Array.from({ length: 50 }, (_, i) => ({ name, type: 'A', ttl: 30, data: `192.0.2.${i}` }));
    return encode(tcp ? { ...base, answers } : { ...base, flags: 0x0380, answers: answers.slice(0, 3) });
  }
  return encode({ ...base, answers: [{ name, type: 'A', ttl: 10, data: '192.0.2.7' }] });
}

before(async () => {
  upUdp = dgram.createSocket('udp4');
  upUdp.on('message', (m, r) => { const a = answerFor(m, false); if (a) upUdp.send(a, r.port, r.address); });
  await new Promise<void>((r) => upUdp.bind(0, '127.0.0.1', () => r()));
  const port = upUdp.address().port;
  upTcp = net.createServer((s) => s.on('data', (d) => {
    const a = answerFor(d.subarray(2, 2 + d.readUInt16BE(0)), true);
    if (!a) return;
    const h = Buffer.alloc(2); h.writeUInt16BE(a.length); s.end(Buffer.concat([h, a]));
  }));
  await new Promise<void>((r) => upTcp.listen(port, '127.0.0.1', () => r()));
  const records = fixtureRecords();
  forward = new Forward({ upstreams: [{ host: '127.0.0.1', port }], timeoutMs: 300, now: () => clock });
  server = await startDnsServer({ host: '127.0.0.1', port: 0, handle: chain([new ClusterZone({ records, dnsIP: '10.96.0.10' }), forward]), generation: () => records.generation });
});
after(async () => { await server.close(); upUdp.close(); upTcp.close(); });

test('forwarded answers pass through and are cached for their TTL, counted down', async () => {
  asked.length = 0;
  assert.equal(show(await ask(server.port, 'www.example.test', 'A')), 'NOERROR rd ra\nwww.example.test 10 A 192.0.2.7');
  clock += 4000;
  assert.equal(show(await ask(server.port, 'www.example.test', 'A')), 'NOERROR rd ra\nwww.example.test 6 A 192.0.2.7');
  assert.deepEqual(asked, ['udp www.example.test A']);
  clock += 7000;
  assert.equal(show(await ask(server.port, 'www.example.test', 'A')), 'NOERROR rd ra\nwww.example.test 10 A 192.0.2.7');
  assert.deepEqual(asked, ['udp www.example.test A', 'udp www.example.test A']);
});

test('NXDOMAIN from upstream passes through with its SOA, cached for the SOA minimum', async () => {
  asked.length = 0;
  const want = 'NXDOMAIN rd ra\n; test 60 SOA ns.test root.test 1 1 1 20';
  assert.equal(show(await ask(server.port, 'missing.test', 'A')), want);
  clock += 5000;
  assert.equal((await ask(server.port, 'missing.test', 'A') as { rcode?: string }).rcode, 'NXDOMAIN');
  assert.equal(asked.length, 1);
});

test('a silent upstream: SERVFAIL after the timeout; cluster names are answered meanwhile', async () => {
  asked.length = 0;
  const slow = ask(server.port, 'silent.test', 'A');
  assert.equal(show(await ask(server.port, 'httpd-svc.default.svc.cluster.local', 'A')).split('\n')[0], 'NOERROR aa rd ra');
  assert.equal(show(await slow), 'SERVFAIL rd ra');
  assert.deepEqual(asked, ['udp silent.test A']);
});

test('a truncated upstream answer: TC to a UDP client, the full answer over TCP to a TCP client', async () => {
  const udp = await ask(server.port, 'big.test', 'A');
  assert.equal(udp.flag_tc, true);
  const tcp = await ask(server.port, 'big.test', 'A', { tcp: true });
  assert.equal(tcp.flag_tc, false);
  assert.equal(tcp.answers!.length, 50);
});

test('no upstream: SERVFAIL', async () => {
  const f = new Forward({ upstreams: [] });
  assert.equal((await f.serve({ name: 'x.test', qname: 'x.test', type: 'A', class: 'IN', tcp: false })).rcode, 'SERVFAIL');
});

test('upstreams from resolv.conf, never the cluster DNS itself', () => {
  const conf = '# generated\nnameserver 10.96.0.10\nnameserver 127.0.0.11\nnameserver fe80::1%eth0\nnameserver bogus\nsearch x\noptions ndots:0\n';
  assert.deepEqual(nameservers(conf, ['10.96.0.10']), [{ host: '127.0.0.11', port: 53 }, { host: 'fe80::1', port: 53 }]);
});
