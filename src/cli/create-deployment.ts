// `mk create deployment NAME --image=I`: the object kubectl's generator builds
// (kubectl/pkg/cmd/create/create_deployment.go), POSTed as is.
import type { KubeObject } from '../api/types.ts';
import { R } from '../api/resources.ts';
import type { KubeClient } from '../client/index.ts';
import { UserError } from '../lib/errors.ts';
import type { Output } from '../lib/output.ts';

// utilrand.String's alphabet: no vowels, no confusable digits.
const RAND_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(n = 5, rand: () => number = Math.random): string {
  let out = '';
  for (let i = 0; i < n; i++) out += RAND_ALPHABET[Math.floor(rand() * RAND_ALPHABET.length)];
  return out;
}

/**
 * Container names as kubectl derives them: the image's last path element without tag or
 * digest; a name with `_` or `.` gets them turned into `-` plus a random 5-letter suffix
 * (sanitizeAndUniquify). Repeated images keep the same name, as kubectl does.
 */
export function containerNames(images: string[], rand: () => number = Math.random): string[] {
  return images.map((img) => {
    let n = img.split('/').pop()!;
    n = n.split(':')[0]!.split('@')[0]!;
    if (/[_.]/.test(n)) n = `${n.replace(/[_.]/g, '-')}-${randomSuffix(5, rand)}`;
    return n;
  });
}

export function deploymentObject(name: string, o: { images: string[]; replicas?: number; port?: number; namespace: string }): KubeObject {
  const labels = { app: name };
  const names = containerNames(o.images);
  const containers = o.images.map((image, i) => ({
    image,
    name: names[i],
    ...(o.port !== undefined ? { ports: [{ containerPort: o.port }] } : {}),
    resources: {},
  }));
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { labels, name, namespace: o.namespace },
    spec: {
      replicas: o.replicas ?? 1,
      selector: { matchLabels: labels },
      strategy: {},
      template: { metadata: { labels }, spec: { containers } },
    },
    status: {},
  };
}

export async function createDeployment(client: KubeClient, name: string, o: { images: string[]; replicas?: number; port?: number; namespace?: string; dryRun?: boolean }, io: Output): Promise<void> {
  if (!name) throw new UserError('error: exactly one NAME is required, got 0');
  if (o.images.length === 0) throw new UserError('error: required flag(s) "image" not set');
  if (o.images.length > 1 && o.port !== undefined) throw new UserError('error: cannot specify multiple --image options and --port');
  const r = R.deployments;
  const obj = deploymentObject(name, { ...o, namespace: client.ns(o.namespace) });
  await client.create(r, o.namespace, obj, { dryRun: o.dryRun });
  io.out(`deployment.apps/${name} created${o.dryRun ? ' (server dry run)' : ''}\n`);
}
