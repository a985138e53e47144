// curl in the node image, assembled offline as busybox is: the host's Debian curl, the shared
// libraries ldd lists for it and the CA bundle, so `mk ssh -- curl -s CLUSTER-IP` works as the
// tutorials say. In a FROM-scratch image the files go where the loader looks for them (beside
// node's own libraries); on a Node.js base image, whose libraries may be other versions, they
// stay together under /usr/local/lib/mk-curl and /usr/local/bin/curl runs them with their own
// loader. Without curl (or one of its libraries) on the host the image is made without it, and
// the note says so.
import { access } from 'node:fs/promises';
import { basename } from 'node:path';
import { sharedLibraries } from './libs.ts';
import type { Entry } from './rootfs.ts';

export const HOST_CURL = '/usr/bin/curl';
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const PRIVATE_DIR = '/usr/local/lib/mk-curl';

export interface CurlFiles {
  entries: Entry[];
  /** why curl is not in the image, when it is not */
  absent?: string;
}

const exists = (p: string) => access(p).then(() => true, () => false);

/** curl's files for an image: `scratch` (libraries at their own paths) or `base` (kept apart). */
export async function curlEntries(layout: 'scratch' | 'base', curl = HOST_CURL): Promise<CurlFiles> {
  if (!(await exists(curl))) return { entries: [], absent: `curl is absent from the node image: no ${curl} on this machine (apt-get install curl)` };
  let libs: string[];
  try {
    libs = await sharedLibraries(curl);
  } catch (e) {
    return { entries: [], absent: `curl is absent from the node image: ${(e as Error).message}` };
  }
  const ca: Entry[] = (await exists(CA_BUNDLE)) ? [{ type: 'hostFile', path: CA_BUNDLE, hostPath: CA_BUNDLE, mode: 0o644 }] : [];
  if (layout === 'scratch') {
    return { entries: [{ type: 'hostFile', path: '/usr/bin/curl', hostPath: curl, mode: 0o755 }, ...libs.map((l): Entry => ({ type: 'hostFile', path: l, hostPath: l })), ...ca] };
  }
  const loader = libs.find((l) => /\/ld-linux[^/]*\.so/.test(l));
  if (!loader) return { entries: [], absent: `curl is absent from the node image: ldd names no dynamic loader for ${curl}` };
  const wrapper = `#!/bin/sh\nexec ${PRIVATE_DIR}/${basename(loader)} --library-path ${PRIVATE_DIR} ${PRIVATE_DIR}/curl "$@"\n`;
  return {
    entries: [
      { type: 'hostFile', path: `${PRIVATE_DIR}/curl`, hostPath: curl, mode: 0o755 },
      ...libs.map((l): Entry => ({ type: 'hostFile', path: `${PRIVATE_DIR}/${basename(l)}`, hostPath: l })),
      { type: 'file', path: '/usr/local/bin/curl', content: wrapper, mode: 0o755 },
      ...ca,
    ],
  };
}
