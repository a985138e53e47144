// What the controller knows: Ingresses, IngressClasses, Services, Endpoints and TLS Secrets,
// fed by informer handlers (index.ts) or by hand in tests. Services and Endpoints update the
// backend pools in place; Ingresses, classes and Secrets mark the routing table stale, and it
// is rebuilt on the next read (one rebuild however many events came in between). Listeners
// hear every change (the status writer uses it).
import type { KubeObject } from '../../api/types.ts';
import { Pools } from './backends.ts';
import { isServed } from './class.ts';
import { RoutingTable } from './table.ts';
import { Certificates } from './tls.ts';

const nsName = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

export class IngressState {
  readonly pools = new Pools();
  readonly certs = new Certificates();
  private readonly ingresses = new Map<string, KubeObject>();
  private readonly classes = new Map<string, KubeObject>();
  private current?: RoutingTable;
  private readonly listeners: (() => void)[] = [];
  /** bumped on every change */
  generation = 0;

  /** The routing table for the present objects (rebuilt when something changed). */
  table(): RoutingTable {
    if (!this.current) {
      this.current = RoutingTable.build({ ingresses: this.served(), pools: this.pools, covers: (k, h) => this.certs.covers(k, h) });
      this.pools.retain(this.current.poolKeys);
    }
    return this.current;
  }

  /** The Ingresses this controller serves. */
  served(): KubeObject[] {
    return [...this.ingresses.values()].filter((i) => isServed(i, this.classes));
  }

  /** Every Ingress known, served or not. */
  all(): KubeObject[] {
    return [...this.ingresses.values()];
  }

  onChange(f: () => void): void {
    this.listeners.push(f);
  }

  private changed(tableToo: boolean): void {
    this.generation++;
    if (tableToo) this.current = undefined;
    for (const f of this.listeners) f();
  }

  setIngress(o: KubeObject): void { this.ingresses.set(nsName(o), o); this.changed(true); }
  deleteIngress(o: KubeObject): void { this.ingresses.delete(nsName(o)); this.changed(true); }
  setClass(o: KubeObject): void { this.classes.set(o.metadata.name!, o); this.changed(true); }
  deleteClass(o: KubeObject): void { this.classes.delete(o.metadata.name!); this.changed(true); }
  setService(o: KubeObject): void { this.pools.setService(o); this.changed(false); }
  deleteService(o: KubeObject): void { this.pools.deleteService(o); this.changed(false); }
  setEndpoints(o: KubeObject): void { this.pools.setEndpoints(o); this.changed(false); }
  deleteEndpoints(o: KubeObject): void { this.pools.deleteEndpoints(o); this.changed(false); }
  setSecret(o: KubeObject): void { if (this.certs.setSecret(o)) this.changed(true); }
  deleteSecret(o: KubeObject): void { if (this.certs.deleteSecret(o)) this.changed(true); }
}
