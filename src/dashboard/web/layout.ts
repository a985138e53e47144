// Where everything goes on the map, from the Graph (pure, so it is tested without a browser):
// three columns — Ingresses, Services, nodes — with each node a box holding its pods, one under
// another (so every arrow reaches its pod from the left, crossing no other pod), grouped by the
// Service that points at them (in the Services' order: their arrows do not cross each other's).
// A Service is placed level with the pods it points at (then pushed down to clear the one
// above), an Ingress level with its Services. One arrow per Service endpoint, to the endpoint's
// pod (or to its node when the address is a node's, as for `kubernetes`); one per Ingress rule,
// to its Service. Arrows that reach the same box arrive spread over its left edge, in the order
// they come from (so each has its own place for its label). An arrow's width is the endpoint's
// share of its Service's traffic (packets when the nodes count them, else connections): seed
// 001's imbalance is one thick arrow and one thin one. The nodes count packets per endpoint
// ip:port, whichever Service sent them: an endpoint that several Services point at has packets
// no one of them can claim, so those Services are weighed by their connections (other ports of the
// same pods are counted apart).
import type { EndpointView, Graph, IngressRuleView, IngressView, NodeView, PodView, ServiceView } from '../model/graph.ts';
import type { EndpointTraffic, TrafficView } from '../model/traffic.ts';

export interface Box { x: number; y: number; w: number; h: number }
export interface Point { x: number; y: number }

export interface PodPlace { pod: PodView; box: Box }
export interface NodePlace { node?: NodeView; title: string; box: Box; pods: PodPlace[] }
export interface ServicePlace { service: ServiceView; box: Box; total?: { connections: number; perSecond: number; packets?: number } }
/** An Ingress and its rules; `missing`: the rule's Service is not there (kubectl describe's
 * `<error: endpoints "name" not found>`), so it has no arrow. */
export interface IngressPlace { ingress: IngressView; box: Box; rules: Array<{ rule: IngressRuleView; y: number; missing?: boolean }> }

export interface Arrow {
  /** unique: `svc:ns/name>ip` or `ing:ns/name#i` */
  key: string;
  kind: 'endpoint' | 'ingress';
  from: Point;
  to: Point;
  /** dashed when false */
  ready: boolean;
  /** stroke width */
  width: number;
  service: string;
  /** the endpoint IP (endpoint arrows) */
  endpoint?: string;
  traffic?: EndpointTraffic;
  /** this endpoint's share of its Service's traffic, 0..1 (when there is any) */
  share?: number;
  /** the endpoint's packets are those of every Service pointing at it, not this one's alone */
  sharedPackets?: boolean;
  /** its label goes under its head rather than above (the side it does not come from) */
  labelBelow?: boolean;
}

export interface Layout {
  width: number;
  height: number;
  ingresses: IngressPlace[];
  services: ServicePlace[];
  nodes: NodePlace[];
  arrows: Arrow[];
}

export const SIZES = {
  margin: 24,
  ingressW: 270,
  serviceW: 220,
  serviceH: 78,
  /** between the Ingresses and the Services */
  ingressGap: 80,
  /** between the Services and the nodes: room for the arrows' labels */
  gap: 140,
  podW: 240,
  podH: 50,
  podGap: 10,
  podsPerRow: 1,
  nodeHeader: 46,
  nodeGap: 22,
  ingressHeader: 40,
  ruleH: 20,
  stack: 14,
} as const;

/** Which namespaces are shown: one, all, or all but kube-* (the default). */
export type NamespaceFilter = { all: true; system: boolean } | { namespace: string };

export function shows(filter: NamespaceFilter, namespace: string): boolean {
  if ('namespace' in filter) return namespace === filter.namespace;
  return filter.system || !namespace.startsWith('kube-');
}

const MIN_WIDTH = 2;
const MAX_EXTRA = 12;

function packNodes(graph: Graph, visible: (p: PodView) => boolean, x: number, order: (a: PodView, b: PodView) => number): NodePlace[] {
  const S = SIZES;
  const w = S.podsPerRow * S.podW + (S.podsPerRow + 1) * S.podGap;
  const pods = new Map(graph.pods.map((p) => [p.id, p]));
  const groups: Array<{ node?: NodeView; title: string; pods: PodView[] }> = graph.nodes.map((n) => ({ node: n, title: n.name, pods: n.pods.map((id) => pods.get(id)!).filter((p) => p && visible(p)).sort(order) }));
  const pending = graph.unscheduled.map((id) => pods.get(id)!).filter((p) => p && visible(p)).sort(order);
  if (pending.length) groups.push({ title: 'not scheduled', pods: pending });
  let y = S.margin;
  return groups.map((g) => {
    const rows = Math.max(1, Math.ceil(g.pods.length / S.podsPerRow));
    const h = S.nodeHeader + rows * (S.podH + S.podGap) + S.podGap / 2;
    const box = { x, y, w, h };
    const placed = g.pods.map((pod, i) => ({
      pod,
      box: { x: x + S.podGap + (i % S.podsPerRow) * (S.podW + S.podGap), y: y + S.nodeHeader + Math.floor(i / S.podsPerRow) * (S.podH + S.podGap), w: S.podW, h: S.podH },
    }));
    y += h + S.nodeGap;
    return { ...(g.node ? { node: g.node } : {}), title: g.title, box, pods: placed };
  });
}

/** Places boxes of height h at their wished y, in order, pushed down to clear the previous one. */
function stackAt(wishes: number[], heights: number[], gap: number, top: number): number[] {
  const out: number[] = [];
  let next = top;
  for (let i = 0; i < wishes.length; i++) {
    const y = Math.max(wishes[i]!, next);
    out.push(y);
    next = y + heights[i]! + gap;
  }
  return out;
}

const center = (b: Box): Point => ({ x: b.x + b.w / 2, y: b.y + b.h / 2 });

/** The endpoint's weight in its Service's traffic: packets when counted, else connections. */
function weight(t: EndpointTraffic | undefined, byPackets: boolean): number {
  if (!t) return 0;
  return byPackets ? t.packets ?? 0 : t.connections;
}

export function layout(graph: Graph, filter: NamespaceFilter, traffic?: TrafficView): Layout {
  const S = SIZES;
  const services = graph.services.filter((s) => shows(filter, s.namespace));
  const ingresses = graph.ingresses.filter((i) => shows(filter, i.namespace));
  const ingressX = S.margin;
  const serviceX = ingresses.length ? ingressX + S.ingressW + S.ingressGap : S.margin;
  const nodeX = serviceX + S.serviceW + S.gap;
  // Pods grouped by the first Service pointing at them, in a Service order; the Services then
  // placed level with their pods. Twice: first in the Services' names' order, then in the order
  // that placed them, so the groups follow the Services down the page.
  const place = (ranked: ServiceView[]) => {
    const group = new Map<string, number>();
    ranked.forEach((s, i) => s.endpoints.forEach((e) => e.pod && !group.has(e.pod) && group.set(e.pod, i)));
    const groupOf = (p: PodView) => group.get(p.id) ?? ranked.length;
    const nodes = packNodes(graph, (p) => shows(filter, p.namespace), nodeX, (a, b) => groupOf(a) - groupOf(b) || a.id.localeCompare(b.id));
    const podBox = new Map<string, Box>();
    for (const n of nodes) for (const p of n.pods) podBox.set(p.pod.id, p.box);
    const nodeBox = new Map(nodes.filter((n) => n.node).map((n) => [n.node!.name, n.box]));
    // an endpoint that is a node's address (as `kubernetes`'): the node's header
    const nodeByIP = new Map(nodes.filter((n) => n.node?.ip).map((n) => [n.node!.ip!, { ...n.box, h: S.nodeHeader }]));
    const targetOf = (e: EndpointView): Box | undefined => {
      if (e.pod) return podBox.get(e.pod);
      return nodeByIP.get(e.ip) ?? (e.node ? nodeBox.get(e.node) : undefined);
    };
    // Services level with their endpoints (those without any keep their order at the bottom)
    const wish = (s: ServiceView) => {
      const ys = s.endpoints.map(targetOf).filter((b): b is Box => !!b).map((b) => center(b).y);
      return ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length - S.serviceH / 2 : Number.MAX_SAFE_INTEGER;
    };
    const order = services.map((s, i) => ({ s, i, w: wish(s) })).sort((a, b) => a.w - b.w || a.i - b.i);
    const ys = stackAt(order.map((o) => (o.w === Number.MAX_SAFE_INTEGER ? S.margin : Math.max(S.margin, o.w))), order.map(() => S.serviceH), S.stack, S.margin);
    const servicePlaces: ServicePlace[] = order.map((o, k) => ({ service: o.s, box: { x: serviceX, y: ys[k]!, w: S.serviceW, h: S.serviceH } }));
    return { nodes, targetOf, servicePlaces };
  };
  const { nodes, targetOf, servicePlaces } = place(place(services).servicePlaces.map((p) => p.service));
  const serviceBox = new Map(servicePlaces.map((p) => [p.service.id, p.box]));

  // packets to an endpoint ip:port that several Services point at are not any one Service's
  const sockets = (e: EndpointView) => e.ports.map((p) => `${e.ip}:${p.slice(p.indexOf(':') + 1)}`); // `name:8080/TCP` → ip:8080/TCP
  const pointedAt = new Map<string, number>();
  for (const s of graph.services) for (const k of new Set(s.endpoints.flatMap(sockets))) pointedAt.set(k, (pointedAt.get(k) ?? 0) + 1);
  const shared = (e: EndpointView) => sockets(e).some((k) => (pointedAt.get(k) ?? 0) > 1);

  const arrows: Arrow[] = [];
  const arriving = new Map<Box, Arrow[]>();
  for (const place of servicePlaces) {
    const s = place.service;
    const t = traffic?.services[s.id];
    const byPackets = !!t && Object.values(t).some((x) => x.packets !== undefined) && !s.endpoints.some(shared);
    const total = t ? s.endpoints.reduce((n, e) => n + weight(t[e.ip], byPackets), 0) : 0;
    if (t) {
      const sum = (f: (x: EndpointTraffic) => number) => s.endpoints.reduce((n, e) => n + (t[e.ip] ? f(t[e.ip]!) : 0), 0);
      place.total = { connections: sum((x) => x.connections), perSecond: sum((x) => x.connectionsPerSecond), ...(byPackets ? { packets: sum((x) => x.packets ?? 0) } : {}) };
    }
    const targets = s.endpoints.map((e) => ({ e, b: targetOf(e) })).filter((x): x is { e: EndpointView; b: Box } => !!x.b)
      .sort((x, y) => x.b.y - y.b.y); // fanned out top to bottom (stable: by IP on a tie), so no two cross
    targets.forEach(({ e, b }, i) => {
      const spread = targets.length > 1 ? (i / (targets.length - 1) - 0.5) * (S.serviceH - 24) : 0;
      const et = t?.[e.ip];
      const share = total > 0 ? weight(et, byPackets) / total : undefined;
      const a: Arrow = {
        key: `svc:${s.id}>${e.ip}`,
        kind: 'endpoint',
        from: { x: place.box.x + place.box.w, y: place.box.y + place.box.h / 2 + spread },
        to: { x: b.x, y: b.y + b.h / 2 },
        ready: e.ready,
        width: MIN_WIDTH + (share ?? 0) * MAX_EXTRA,
        service: s.id,
        endpoint: e.ip,
        ...(et ? { traffic: et } : {}),
        ...(share !== undefined ? { share } : {}),
        ...(et?.packets !== undefined && shared(e) ? { sharedPackets: true } : {}),
      };
      arrows.push(a);
      arriving.set(b, [...(arriving.get(b) ?? []), a]);
    });
  }
  // arrows reaching the same box arrive spread over its left edge, in the order they come from
  // (each label on the side its arrow does not come from, or, when several arrive, the first
  // above and the last below)
  for (const [b, as] of arriving) {
    if (as.length === 1) {
      if (as[0]!.from.y < as[0]!.to.y) as[0]!.labelBelow = true;
      continue;
    }
    as.sort((x, y) => x.from.y - y.from.y || x.key.localeCompare(y.key)).forEach((a, i) => {
      a.to = { x: b.x, y: b.y + (b.h * (i + 1)) / (as.length + 1) };
      if (i === as.length - 1) a.labelBelow = true;
    });
  }

  // Ingresses level with their Services
  const ingressH = (i: IngressView) => S.ingressHeader + Math.max(1, i.rules.length) * S.ruleH + 8;
  const iwish = (i: IngressView) => {
    const bs = i.rules.map((r) => (r.service ? serviceBox.get(r.service) : undefined)).filter((b): b is Box => !!b);
    return bs.length ? Math.min(...bs.map((b) => b.y)) : S.margin;
  };
  const iorder = ingresses.map((i, k) => ({ i, k, w: iwish(i) })).sort((a, b) => a.w - b.w || a.k - b.k);
  const iys = stackAt(iorder.map((o) => o.w), iorder.map((o) => ingressH(o.i)), S.stack, S.margin);
  const ingressPlaces: IngressPlace[] = iorder.map((o, k) => {
    const box = { x: ingressX, y: iys[k]!, w: S.ingressW, h: ingressH(o.i) };
    const rules = o.i.rules.map((rule, r) => ({ rule, y: box.y + S.ingressHeader + r * S.ruleH + S.ruleH / 2, ...(rule.service && !serviceBox.has(rule.service) ? { missing: true } : {}) }));
    rules.forEach(({ rule, y }, r) => {
      const to = rule.service ? serviceBox.get(rule.service) : undefined;
      if (!to) return;
      arrows.push({ key: `ing:${o.i.id}#${r}`, kind: 'ingress', from: { x: box.x + box.w, y }, to: { x: to.x, y: to.y + to.h / 2 }, ready: true, width: MIN_WIDTH, service: rule.service! });
    });
    return { ingress: o.i, box, rules };
  });

  const all = [...nodes.map((n) => n.box), ...servicePlaces.map((p) => p.box), ...ingressPlaces.map((p) => p.box)];
  const width = Math.max(nodeX + S.podsPerRow * S.podW + (S.podsPerRow + 1) * S.podGap, ...all.map((b) => b.x + b.w)) + S.margin;
  const height = Math.max(200, ...all.map((b) => b.y + b.h)) + S.margin;
  return { width, height, ingresses: ingressPlaces, services: servicePlaces, nodes, arrows };
}
