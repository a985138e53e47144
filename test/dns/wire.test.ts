// The server's wire behaviour: truncation over UDP then the full answer over TCP, EDNS0 sizes,
// malformed packets (empty, short header, bad counts, pointer loops, huge counts, responses,
// other opcodes) that must get FORMERR/NOTIMP or silence — and the server still answering after.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, encode } from 'dns-packet';
import { ClusterRecords, ClusterZone, chain, startDnsServer, type DnsServer } from '../../src/agent/dns/index.ts';
import { ep, nsObj, svc } from './fixtures.ts';
import { ask, frame, query, show, tcpRaw, udpRaw } from './ask.ts';

let server: DnsServer;
const records = new ClusterRecords();
const NAME = 'big.default.svc.cluster.local';

before(async () => {
  records.setNamespace(nsObj('default'));
  records.setService(svc('default', 'big', { clusterIP: 'None', ports: [{ name: 'web', port: 80, protocol: 'TCP' }] }));
  const addresses = Array.from({ length: 40 }, (_, i) => ({ ip: `10.244.3.${i + 1}` }));
  records.setEndpoints(ep('default', 'big', [{ addresses, ports: [{ name: 'web', port: 80, protocol: 'TCP' }] }]));
  records.setService(svc('default', 'mid', { clusterIP: 'None', ports: [{ name: 'web', port: 80, protocol: 'TCP' }] }));
  records.setEndpoints(ep('default', 'mid', [{ addresses: addresses.slice(0, 12), ports: [{ name: 'web', port: 80, protocol: 'TCP' }] }]));
  server = await startDnsServer({ host: '127.0.0.1', port: 0, handle: chain([new ClusterZone({ records, dnsIP: '10.96.0.10' })]), generation: () => records.generation });
});
after(() => server.close());

test('a large answer: TC over UDP with what fits in 512 bytes, everything over TCP or within the EDNS0 size', async () => {
  const udp = await ask(server.port, NAME, 'A');
  assert.equal(udp.flag_tc, true);
  assert.ok(encode(udp).length <= 512);
  assert.ok(udp.answers!.length > 0 && udp.answers!.length < 40, `${udp.answers!.length} answers fit`);
  const tcp = await ask(server.port, NAME, 'A', { tcp: true });
  assert.equal(tcp.flag_tc, false);
  assert.equal(tcp.answers!.length, 40);
  const edns = await ask(server.port, NAME, 'A', { edns: 4096 });
  assert.equal(edns.flag_tc, false);
  assert.equal(edns.answers!.length, 40);
  assert.equal(edns.additionals!.find((a) => a.type === 'OPT')?.type, 'OPT');
  // an SRV answer whose additional A records do not fit loses them, not the answers
  const full = await ask(server.port, '_web._tcp.mid.default.svc.cluster.local', 'SRV', { tcp: true });
  assert.equal(full.additionals!.length, 12);
  const srv = await ask(server.port, '_web._tcp.mid.default.svc.cluster.local', 'SRV', { edns: encode(full).length - 100 });
  assert.equal(srv.flag_tc, false);
  assert.equal(srv.answers!.length, 12);
  assert.deepEqual(srv.additionals!.map((a) => a.type), ['OPT']);
});

test('several questions on one TCP connection are answered in order', async () => {
  const names = ['a', 'big', 'b'].map((n) => `${n}.default.svc.cluster.local`);
  const out = await tcpRaw(server.port, names.map((n, i) => frame(query(n, 'A', { id: i + 1 }))), 3);
  assert.deepEqual(out.map((b) => { const p = decode(b) as { id?: number; rcode?: string }; return `${p.id} ${p.rcode}`; }), ['1 NXDOMAIN', '2 NOERROR', '3 NXDOMAIN']);
});

const header = (id: number, flags: number, qd: number, an = 0, ns = 0, ar = 0) => {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(id, 0); b.writeUInt16BE(flags, 2); b.writeUInt16BE(qd, 4); b.writeUInt16BE(an, 6); b.writeUInt16BE(ns, 8); b.writeUInt16BE(ar, 10);
  return b;
};
const good = query(NAME, 'A', { id: 7 });

const malformed: Array<[string, Buffer, string | undefined]> = [
  ['empty', Buffer.alloc(0), undefined],
  ['short header', Buffer.from([1, 2, 3, 4, 5]), undefined],
  ['header only, no question', header(9, 0x0100, 0), 'FORMERR'],
  ['two questions', Buffer.concat([header(9, 0x0100, 2), good.subarray(12), good.subarray(12)]), 'FORMERR'],
  ['question count says 1, no bytes follow', header(9, 0x0100, 1), 'FORMERR'],
  ['truncated name', Buffer.concat([header(9, 0x0100, 1), Buffer.from([20, 0x61, 0x62])]), 'FORMERR'],
  ['pointer to itself', Buffer.concat([header(9, 0x0100, 1), Buffer.from([0xc0, 12, 0, 1, 0, 1])]), 'FORMERR'],
  ['pointer loop', Buffer.concat([header(9, 0x0100, 1), Buffer.from([1, 0x61, 0xc0, 12, 0, 1, 0, 1])]), 'FORMERR'],
  ['pointer past the end', Buffer.concat([header(9, 0x0100, 1), Buffer.from([0xc0, 0xff, 0, 1, 0, 1])]), 'FORMERR'],
  ['reserved label type', Buffer.concat([header(9, 0x0100, 1), Buffer.from([0x80, 0, 0, 1, 0, 1])]), 'FORMERR'],
  ['huge counts', Buffer.concat([header(9, 0x0100, 65535, 65535, 65535, 65535), good.subarray(12)]), 'FORMERR'],
  ['answer records in a query', Buffer.concat([header(9, 0x0100, 1, 1), good.subarray(12)]), 'FORMERR'],
  ['question without type and class', Buffer.concat([header(9, 0x0100, 1), Buffer.from([1, 0x61, 0])]), 'FORMERR'],
  ['a response (never answered: no loops)', Buffer.concat([header(9, 0x8100, 1), good.subarray(12)]), undefined],
  ['opcode STATUS', Buffer.concat([header(9, 0x1100, 1), good.subarray(12)]), 'NOTIMP'],
  ['random bytes', Buffer.from('d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4', 'hex'), undefined],
];

test('malformed packets: FORMERR/NOTIMP with the ID, or nothing; the server keeps answering', async () => {
  for (const [name, pkt, want] of malformed) {
    for (const tcp of [false, true]) {
      const got = tcp ? (await tcpRaw(server.port, [frame(pkt)], 1, want ? 3000 : 300))[0] : await udpRaw(server.port, pkt, want ? 3000 : 300);
      if (want === undefined) {
        if (got && name === 'random bytes') assert.notEqual((decode(got) as { rcode?: string }).rcode, 'NOERROR', name);
        else assert.equal(got, undefined, `${name} (${tcp ? 'TCP' : 'UDP'})`);
      } else {
        assert.ok(got, `${name}: an answer (${tcp ? 'TCP' : 'UDP'})`);
        const p = decode(got) as { id?: number; rcode?: string; flag_qr: boolean };
        assert.equal(`${p.id} ${p.rcode} ${p.flag_qr}`, `9 ${want} true`, `${name} (${tcp ? 'TCP' : 'UDP'})`);
      }
      assert.equal(show(await ask(server.port, 'nope.default.svc.cluster.local', 'A')).split('\n')[0], 'NXDOMAIN aa rd ra', `still answering after ${name}`);
    }
  }
});

test('a TCP frame longer than what follows waits for the rest, then the connection still serves', async () => {
  const f = frame(good);
  const out = await tcpRaw(server.port, [f.subarray(0, 5), f.subarray(5)], 1);
  assert.equal((decode(out[0]!) as { id?: number }).id, 7);
});
