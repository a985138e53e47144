// What an addon is to `mk addons`: a name and minikube's MAINTAINER, and three calls on the
// cluster's API (enable, disable, and wait until it serves). The state itself lives in the
// cluster (state.ts); node agents act on it.
import type { KubeClient } from '../client/index.ts';

export type AddonClient = Pick<KubeClient, 'get' | 'create' | 'patch' | 'delete' | 'list'>;

export interface Addon {
  name: string;
  /** minikube's MAINTAINER column */
  maintainer: string;
  docs: string;
  /** on in a new cluster until disabled (minikube's storage addons) */
  enabledByDefault?: boolean;
  /** what enabling brings, one line each (minikube's `▪ Using image …` lines) */
  uses: string[];
  enable(client: AddonClient): Promise<void>;
  disable(client: AddonClient): Promise<void>;
  /** resolves once the addon serves; throws, naming what does not, after timeoutMs */
  ready?(client: AddonClient, o: { timeoutMs?: number }): Promise<unknown>;
}
