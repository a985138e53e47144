// kube-controller-manager's serviceaccounts controller: a ServiceAccount `default` in every
// active namespace, made again when it is deleted (pods are admitted with it by default).
import { R } from '../api/resources.ts';
import { DEFAULT_SERVICE_ACCOUNT } from '../api/serviceaccounts.ts';
import type { PerNamespaceObject } from './namespace-objects.ts';

export const defaultServiceAccount: PerNamespaceObject = {
  r: R.serviceaccounts,
  name: DEFAULT_SERVICE_ACCOUNT,
  desired: (namespace) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace } }),
};
