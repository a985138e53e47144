// Ingress and IngressClass rows (printers.go printIngress, printIngressClass).

import type { KubeObject } from '../../api/types.ts';
import { ageSince } from '../age.ts';
import { AGE_COL, NAME_COL, col, loadBalancerIngress, type Printer } from '../columns.ts';

/** formatHosts: up to 3 hosts then `+ N more...`; `*` when no rule names a host. */
export function ingressHosts(rules: { host?: string }[] | undefined): string {
  const max = 3;
  const list: string[] = [];
  let more = false;
  for (const r of rules ?? []) {
    if (list.length === max) more = true;
    if (!more && r.host) list.push(r.host);
  }
  if (list.length === 0) return '*';
  const ret = list.join(',');
  return more ? `${ret} + ${(rules ?? []).length - max} more...` : ret;
}

export const ingressPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Class', 'The name of the IngressClass resource that should be used for this Ingress'),
    col('Hosts', 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'Ports of TLS configurations that open'),
    AGE_COL,
  ],
  cells(ing: KubeObject, now) {
    const spec = ing.spec ?? {};
    return [
      ing.metadata.name, spec.ingressClassName ?? '<none>', ingressHosts(spec.rules),
      loadBalancerIngress(ing.status?.loadBalancer), (spec.tls ?? []).length > 0 ? '80, 443' : '80',
      ageSince(ing.metadata.creationTimestamp, now),
    ];
  },
};

export const ingressClassPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Controller', 'Controller that is responsible for handling this class'),
    col('Parameters', 'A reference to a resource with additional parameters'),
    AGE_COL,
  ],
  cells(ic: KubeObject, now) {
    const p = ic.spec?.parameters;
    let parameters = '<none>';
    if (p) parameters = `${p.kind}${p.apiGroup ? `.${p.apiGroup}` : ''}/${p.name}`;
    return [ic.metadata.name, ic.spec?.controller ?? '', parameters, ageSince(ic.metadata.creationTimestamp, now)];
  },
};
