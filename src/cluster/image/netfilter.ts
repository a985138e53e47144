// iptables (the nf_tables one: xtables-nft-multi with its iptables, iptables-restore and
// iptables-save names) and conntrack in the node image, taken offline from the machine's own
// Debian packages (`apt-get install -y iptables conntrack`; scripts/ensure-docker.sh installs them)
// with the shared libraries ldd lists for them and the xtables match/target modules iptables
// loads at run time, at their paths on this machine. The agent's kernel mode needs them; a
// machine without them gets a node image without them, whose agents serve Services in user
// space and say why. The `mk.contents` label on the image names what went in, so an image made
// before (or without) them is made again once they are there.
import { execFile } from 'node:child_process';
import { access, readdir, realpath } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { parseLdd } from './libs.ts';
import type { Entry } from './rootfs.ts';

/** The label on node images naming what they carry besides the agent. */
export const CONTENTS_LABEL = 'mk.contents';

const BIN_DIRS = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];
const XTABLES_DIRS = ['/usr/lib/x86_64-linux-gnu/xtables', '/usr/lib/aarch64-linux-gnu/xtables', '/usr/lib64/xtables', '/usr/lib/xtables'];
/** the names xtables-nft-multi answers to (it looks at argv[0]) */
const XTABLES_NAMES = ['iptables', 'iptables-nft', 'iptables-restore', 'iptables-nft-restore', 'iptables-save', 'iptables-nft-save', 'ip6tables', 'ip6tables-nft', 'ip6tables-restore', 'ip6tables-save'];
/** glibc's own files: a base image (node:24-slim) has its own, which the agent's Node.js needs as they are */
const GLIBC = /^(ld-linux.*|libc|libm|libdl|libpthread|librt)\.so/;

export interface NetfilterTools {
  /** what the image will carry: `iptables`, `conntrack` */
  present: string[];
  /** host paths */
  xtables?: string;
  conntrack?: string;
  modulesDir?: string;
}

const exists = (p: string) => access(p).then(() => true, () => false);

async function findBinary(name: string): Promise<string | undefined> {
  for (const d of BIN_DIRS) if (await exists(join(d, name))) return realpath(join(d, name));
  return undefined;
}

/** Which of the tools this machine has. */
export async function findNetfilterTools(): Promise<NetfilterTools> {
  const xtables = await findBinary('xtables-nft-multi');
  const conntrack = await findBinary('conntrack');
  let modulesDir: string | undefined;
  for (const d of XTABLES_DIRS) if (await exists(d)) { modulesDir = d; break; }
  const present = [...(xtables && modulesDir ? ['iptables'] : []), ...(conntrack ? ['conntrack'] : [])];
  return { present, xtables: xtables && modulesDir ? xtables : undefined, conntrack, modulesDir: xtables ? modulesDir : undefined };
}

/** The `mk.contents` label's value for an image carrying `tools`. */
export function contentsLabel(tools: Pick<NetfilterTools, 'present'>): string {
  return `netfilter:${tools.present.length ? tools.present.join('+') : 'none'}`;
}

/** The image's files for `tools`; `glibc: false` leaves glibc's libraries to the base image. */
export async function netfilterEntries(tools: NetfilterTools, o: { glibc: boolean }): Promise<Entry[]> {
  const out: Entry[] = [];
  const binaries: string[] = [];
  if (tools.xtables && tools.modulesDir) {
    out.push({ type: 'hostFile', path: '/usr/sbin/xtables-nft-multi', hostPath: tools.xtables, mode: 0o755 });
    for (const n of XTABLES_NAMES) out.push({ type: 'symlink', path: `/usr/sbin/${n}`, target: 'xtables-nft-multi' });
    const modules = (await readdir(tools.modulesDir)).filter((f) => f.endsWith('.so')).sort().map((f) => join(tools.modulesDir!, f));
    for (const m of modules) out.push({ type: 'hostFile', path: m, hostPath: m });
    binaries.push(tools.xtables, ...modules);
  }
  if (tools.conntrack) {
    out.push({ type: 'hostFile', path: '/usr/sbin/conntrack', hostPath: tools.conntrack, mode: 0o755 });
    binaries.push(tools.conntrack);
  }
  if (binaries.length === 0) return [];
  const { stdout } = await promisify(execFile)('ldd', binaries, { maxBuffer: 16 * 1024 * 1024 });
  for (const lib of parseLdd(stdout)) if (o.glibc || !GLIBC.test(basename(lib))) out.push({ type: 'hostFile', path: lib, hostPath: lib });
  // protocol and service names for `iptables -L` without -n
  for (const f of ['/etc/protocols', '/etc/services']) if (await exists(f)) out.push({ type: 'hostFile', path: f, hostPath: f });
  return out;
}
