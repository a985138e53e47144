// The ServiceAccount admission plugin (kube-apiserver's, on pod create): spec.serviceAccountName
// defaults to `default`; the account must exist (403 `error looking up service account NS/NAME:
// serviceaccount "NAME" not found`); unless the pod or the account says
// automountServiceAccountToken: false, a projected volume `kube-api-access-xxxxx` (a bound token
// of 3607 s, kube-root-ca.crt's ca.crt, the namespace from the downward API) is added and mounted
// read-only at /var/run/secrets/kubernetes.io/serviceaccount in every container and init
// container that mounts nothing there; the account's imagePullSecrets go to a pod that has none.
// Mirror pods (the agents' own, kubernetes.io/config.mirror) are left as they are and may not
// name an account.
import { R } from '../api/resources.ts';
import { ApiError } from '../api/status.ts';
import type { KubeObject } from '../api/types.ts';
import { generateName } from './admit.ts';
import { keyOf, type ServerContext } from './context.ts';
import { DEFAULT_SERVICE_ACCOUNT, TOKEN_MOUNT_PATH, TOKEN_VOLUME_PREFIX, tokenVolumeSource } from '../api/serviceaccounts.ts';

const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
const SERVICE_ACCOUNTS = R.serviceaccounts;

type Obj = Record<string, any>;

/** A pod naming an account that is not there; for `default` the caller may wait for the controller. */
export class ServiceAccountMissing extends ApiError {
  readonly account: string;
  constructor(pod: KubeObject, namespace: string, account: string) {
    super(403, 'Forbidden', `pods "${pod.metadata.name}" is forbidden: error looking up service account ${namespace}/${account}: serviceaccount "${account}" not found`, { name: pod.metadata.name, kind: 'pods' });
    this.account = account;
  }
}

const forbidden = (pod: KubeObject, why: string) => new ApiError(403, 'Forbidden', `pods "${pod.metadata.name}" is forbidden: ${why}`, { name: pod.metadata.name, kind: 'pods' });

/** Mutates a pod about to be created; throws the plugin's 403s. */
export function admitServiceAccount(ctx: ServerContext, pod: KubeObject): void {
  const spec: Obj = pod.spec ?? (pod.spec = {});
  if (pod.metadata.annotations?.[MIRROR_ANNOTATION] !== undefined) {
    if (spec.serviceAccountName || spec.serviceAccount) throw forbidden(pod, 'a mirror pod may not reference service accounts');
    return;
  }
  // the deprecated serviceAccount field stands in for serviceAccountName (v1 conversion)
  const name: string = spec.serviceAccountName || spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
  spec.serviceAccountName = name;
  const namespace = pod.metadata.namespace!;
  const sa = ctx.store.get(keyOf(SERVICE_ACCOUNTS, namespace, name));
  if (!sa) throw new ServiceAccountMissing(pod, namespace, name);
  const automount = spec.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true;
  if (automount) mountToken(spec);
  if (!(spec.imagePullSecrets?.length) && sa.imagePullSecrets?.length) {
    spec.imagePullSecrets = (sa.imagePullSecrets as { name: string }[]).map((s) => ({ name: s.name }));
  }
}

function mountToken(spec: Obj): void {
  const volumes: Obj[] = Array.isArray(spec.volumes) ? spec.volumes : [];
  const existing = volumes.find((v) => typeof v?.name === 'string' && v.name.startsWith(TOKEN_VOLUME_PREFIX));
  const volumeName: string = existing?.name ?? generateName(TOKEN_VOLUME_PREFIX);
  let needed = false;
  for (const list of ['initContainers', 'containers']) {
    for (const c of (Array.isArray(spec[list]) ? spec[list] : []) as Obj[]) {
      const mounts: Obj[] = Array.isArray(c.volumeMounts) ? c.volumeMounts : [];
      if (mounts.some((m) => m?.mountPath === TOKEN_MOUNT_PATH)) continue;
      c.volumeMounts = [...mounts, { name: volumeName, readOnly: true, mountPath: TOKEN_MOUNT_PATH }];
      needed = true;
    }
  }
  if (needed && !existing) spec.volumes = [...volumes, { name: volumeName, projected: tokenVolumeSource() }];
}
