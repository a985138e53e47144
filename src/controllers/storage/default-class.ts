// The default-storageclass addon's part on the control plane: while the addon is enabled (its
// state in kube-system/mk-addons is not `disabled`), the StorageClass `standard` exists — made,
// marked default, when missing, as minikube's addon manager keeps it (EnsureExists). What a user
// changes on it stays.
import { ADDONS_CONFIGMAP, ADDONS_NAMESPACE } from '../../addons/state.ts';
import { DEFAULT_STORAGECLASS, STANDARD_CLASS, enabledByDefault, standardStorageClass } from '../../addons/storage.ts';
import type { Informer } from '../../client/informer.ts';
import { WorkQueue } from '../queue.ts';
import { reportUnlessConflict, type ControllerContext } from '../types.ts';
import { R } from '../../api/resources.ts';
import { isAlreadyExists } from '../../api/status.ts';

export class DefaultStorageClassController {
  readonly queue: WorkQueue;
  private readonly ctx: ControllerContext;
  private readonly classes: Informer;
  private readonly configMaps: Informer;

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
    this.classes = ctx.informers.for(R.storageclasses);
    this.configMaps = ctx.informers.for(R.configmaps);
    this.queue = new WorkQueue(() => this.sync(), { clock: ctx.clock, onError: (_k, e) => reportUnlessConflict(ctx, e) });
    const kick = () => this.queue.add(STANDARD_CLASS);
    this.classes.addHandlers({ onDelete: kick });
    this.configMaps.addHandlers({ onAdd: kick, onUpdate: kick });
    kick();
  }

  async sync(): Promise<void> {
    await this.ctx.informers.waitForSync();
    const state = this.configMaps.get(ADDONS_NAMESPACE, ADDONS_CONFIGMAP)?.data?.[DEFAULT_STORAGECLASS];
    if (!enabledByDefault(state) || this.classes.get(undefined, STANDARD_CLASS)) return;
    await this.ctx.client.create(R.storageclasses, undefined, standardStorageClass()).catch((e) => {
      if (!isAlreadyExists(e)) throw e;
    });
  }
}
