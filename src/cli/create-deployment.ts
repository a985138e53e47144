// `mk create deployment NAME --image=I`: the object kubectl's generator builds
// (kubectl/pkg/cmd/create/create_deployment.go), POSTed as is.
import type { KubeObject } from '../api/types.ts';
import { resolveResource } from '../api/resources.ts';
import type { KubeClient } from '../client/index.ts';
import { UserError } from '../lib/errors.ts';
import type { Output } from './io.ts';

/** Container names from images: last path element, no tag/digest, `_`/`.` → `-`, unique. */
export function containerNames(images: string[]): string[] {
  const seen = new Map<string, number>();
  return images.map((img) => {
    let n = img.split('/').pop()!;
    n = n.split('@')[0]!.split(':')[0]!.replace(/[_.]/g, '-');
    const k = seen.get(n) ?? 0;
    seen.set(n, k + 1);
    return k === 0 ? n : `${n}-${k}`;
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
  const r = resolveResource('deployments.apps')!;
  const obj = deploymentObject(name, { ...o, namespace: client.ns(o.namespace) });
  await client.create(r, o.namespace, obj, { dryRun: o.dryRun });
  io.out(`deployment.apps/${name} created${o.dryRun ? ' (server dry run)' : ''}\n`);
}
