// The resource rows the endpoint controllers read and write (Services, Pods, Endpoints,
// EndpointSlices), resolved once, and the one routine that carries out a slice plan through
// the API, remembering each write so the next reconcile reads it even before the watch does.
import { R } from '../api/resources.ts';
import type { Written } from './endpoints-index.ts';
import type { SlicePlan } from './endpointslice-util.ts';
import { type ControllerClient } from './types.ts';
import { isNotFound } from '../api/status.ts';

export const ER = {
  services: R.services,
  pods: R.pods,
  endpoints: R.endpoints,
  endpointslices: R.endpointslices,
};

/** Writes a plan: creates, updates, then removals (404 on a removal is fine). The first failure is thrown after all were tried. */
export async function applySlicePlan(client: ControllerClient, written: Written, plan: SlicePlan): Promise<void> {
  let failure: unknown;
  const attempt = async (fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      failure ??= e;
    }
  };
  const r = ER.endpointslices;
  await Promise.all([
    ...plan.create.map((s) => attempt(async () => written.wrote(await client.create(r, s.metadata.namespace, s)))),
    ...plan.update.map((s) =>
      attempt(async () => {
        try {
          written.wrote(await client.update(r, s.metadata.namespace, s.metadata.name!, s));
        } catch (e) {
          if (isNotFound(e)) written.forget(`${s.metadata.namespace}/${s.metadata.name}`);
          throw e;
        }
      }),
    ),
    ...plan.remove.map((s) =>
      attempt(async () => {
        try {
          await client.delete(r, s.metadata.namespace, s.metadata.name!);
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
        written.deleted(`${s.metadata.namespace}/${s.metadata.name}`, s);
      }),
    ),
  ]);
  if (failure) throw failure;
}
