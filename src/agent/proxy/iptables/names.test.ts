// kube-proxy's chain names: the hashes the tutorials show (seed 004's deep dive) come out exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base32, endpointChain, isServiceChain, probability, serviceChains, servicePortName } from './names.ts';

test('chain names: seed 004\'s Services and endpoints', () => {
  const cases: Array<{ service: string; port: string; protocol: string; chain: string }> = [
    { service: 'default/hello-world', port: '', protocol: 'TCP', chain: 'KUBE-SVC-DZ6LTOHRG6HQWHYE' },
    { service: 'default/kubernetes', port: 'https', protocol: 'TCP', chain: 'KUBE-SVC-NPX46M4PTMTKRN6Y' },
    { service: 'kube-system/kube-dns', port: 'dns', protocol: 'UDP', chain: 'KUBE-SVC-TCOU7JCQXEZGVUNU' },
    { service: 'kube-system/kube-dns', port: 'dns-tcp', protocol: 'TCP', chain: 'KUBE-SVC-ERIFXISQEP7F7OF4' },
    { service: 'kube-system/kube-dns', port: 'metrics', protocol: 'TCP', chain: 'KUBE-SVC-JD5MR3NA4I4DYORP' },
  ];
  for (const c of cases) {
    const spn = servicePortName(c.service, c.port);
    assert.equal(serviceChains(spn, c.protocol).svc, c.chain, spn);
    const h = c.chain.slice('KUBE-SVC-'.length);
    assert.deepEqual(serviceChains(spn, c.protocol), { svc: c.chain, svl: `KUBE-SVL-${h}`, ext: `KUBE-EXT-${h}`, fw: `KUBE-FW-${h}` });
  }
  const seps: Array<[string, string]> = [
    ['10.244.1.199:8080', 'KUBE-SEP-W2IFVPZJILTBGJON'],
    ['10.244.2.190:8080', 'KUBE-SEP-QWI4LEXVO5GRYADO'],
    ['10.244.1.200:8080', 'KUBE-SEP-KNPMKP4TJWLYHY4M'],
    ['10.244.2.192:8080', 'KUBE-SEP-ZYVBQARSCNBBR4HH'],
  ];
  for (const [ep, chain] of seps) assert.equal(endpointChain('default/hello-world', 'TCP', ep), chain, ep);
});

test('base32 as RFC 4648 (the test vectors)', () => {
  const vectors: Array<[string, string]> = [['', ''], ['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']];
  for (const [plain, enc] of vectors) assert.equal(base32(Buffer.from(plain)), enc, plain);
});

test('probabilities as kube-proxy prints them (%0.10f of 1/n)', () => {
  assert.deepEqual([2, 3, 4, 7].map(probability), ['0.5000000000', '0.3333333333', '0.2500000000', '0.1428571429']);
});

test('service chains are the ones a sync may delete', () => {
  assert.deepEqual(['KUBE-SVC-X', 'KUBE-SEP-X', 'KUBE-EXT-X', 'KUBE-SVL-X', 'KUBE-FW-X', 'KUBE-SERVICES', 'KUBE-NODEPORTS', 'DOCKER_OUTPUT'].map(isServiceChain), [true, true, true, true, true, false, false, false]);
});
