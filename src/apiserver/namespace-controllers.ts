// The per-namespace controllers the API server runs itself (beside the garbage collector): the
// ServiceAccount `default` and the ConfigMap `kube-root-ca.crt` in every namespace, written
// through the normal create/update handlers so they are defaulted, validated and watched like
// any object.
import type { ResourceType } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { NamespaceObjectsController, type ObjectWriter } from './namespace-objects.ts';
import { rootCAPublisher } from './root-ca-publisher.ts';
import { defaultServiceAccount } from './default-serviceaccount.ts';
import type { ResourceRequest, ServerContext } from './context.ts';
import { create, update } from './handlers/write.ts';

function request(r: ResourceType, method: string, obj: KubeObject): ResourceRequest & { name: string } {
  return {
    method,
    r,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name!,
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(obj)),
  };
}

export interface NamespaceControllers {
  /** resolves once every namespace known has been looked at */
  whenIdle(): Promise<void>;
  stop(): void;
}

export function startNamespaceControllers(ctx: ServerContext, caPem: string): NamespaceControllers {
  const writer: ObjectWriter = {
    create: (r, obj) => void create(ctx, request(r, 'POST', obj)),
    update: (r, obj) => void update(ctx, request(r, 'PUT', obj)),
  };
  const controllers = [defaultServiceAccount, rootCAPublisher(caPem)].map((spec) => new NamespaceObjectsController(ctx.store, spec, writer));
  for (const c of controllers) c.start();
  return {
    whenIdle: async () => void (await Promise.all(controllers.map((c) => c.whenIdle()))),
    stop: () => controllers.forEach((c) => c.stop()),
  };
}
