// The map, in SVG, from a Layout: Ingresses (with their host/path rules), Services (type,
// ClusterIP, ports, their traffic), nodes as boxes holding their pods, and the arrows — an
// Ingress rule to its Service, a Service to each endpoint (dashed when not ready), as thick as
// the endpoint's share of the Service's traffic and labelled with its counts. Clicking a box
// selects its object. Every drawn thing carries data-* attributes naming what it is.
import type { ObjectRef, PodView } from '../model/graph.ts';
import type { EndpointTraffic } from '../model/traffic.ts';
import type { Arrow, Layout } from './layout.ts';

interface Props {
  layout: Layout;
  selected?: ObjectRef;
  onSelect(o: ObjectRef): void;
}

const same = (a: ObjectRef | undefined, b: ObjectRef) => !!a && a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export function count(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

function rate(n: number): string {
  return n >= 10 ? n.toFixed(0) : n.toFixed(1).replace(/\.0$/, '');
}

/** The label above an endpoint arrow's head: `12 conn +3/s · 340 pkts` (its packets unless they
 * are those of every Service pointing at the endpoint); none before the endpoint had any traffic. */
export function trafficLabel(t: EndpointTraffic, sharedPackets = false): string | undefined {
  if (t.connections === 0 && !t.packets) return undefined;
  const conn = `${count(t.connections)} conn${t.connectionsPerSecond > 0 ? ` +${rate(t.connectionsPerSecond)}/s` : ''}`;
  return t.packets !== undefined && !sharedPackets ? `${conn} · ${count(t.packets)} pkts` : conn;
}

function podClass(p: PodView): string {
  if (p.status === 'Running' && p.ready) return 'pod ready';
  if (p.status === 'Succeeded' || p.status === 'Completed') return 'pod done';
  if (/Err|BackOff|Failed|Unknown|Evicted|OOM/.test(p.status)) return 'pod failed';
  if (p.status === 'Terminating') return 'pod leaving';
  return 'pod waiting';
}

function ArrowPath({ a }: { a: Arrow }) {
  const dx = Math.max(40, (a.to.x - a.from.x) / 2);
  const d = `M${a.from.x},${a.from.y} C${a.from.x + dx},${a.from.y} ${a.to.x - dx},${a.to.y} ${a.to.x - 6},${a.to.y}`;
  const head = a.kind === 'ingress' ? 'ingress' : a.ready ? 'endpoint' : 'not-ready';
  return (
    <g className={`arrow ${a.kind} ${a.ready ? 'ready' : 'not-ready'}`} data-arrow={a.key} data-service={a.service}
      data-endpoint={a.endpoint} data-ready={String(a.ready)} data-connections={a.traffic?.connections}
      data-packets={a.traffic?.packets}>
      <path d={d} strokeWidth={a.width} markerEnd={`url(#head-${head})`} />
      <title>{a.kind === 'endpoint'
        ? `${a.service} → ${a.endpoint}${a.ready ? '' : ' (not ready)'}${a.share !== undefined ? `, ${Math.round(a.share * 100)}% of its traffic` : ''}${a.sharedPackets ? `; ${count(a.traffic!.packets!)} packets through every Service pointing at ${a.endpoint}` : ''}`
        : `to ${a.service}`}</title>
    </g>
  );
}

/** An endpoint arrow's counts by its head, on a backing that keeps them readable where other
 * arrows pass (drawn above every arrow). */
function TrafficLabel({ a }: { a: Arrow }) {
  const label = a.traffic && trafficLabel(a.traffic, a.sharedPackets);
  if (!label) return null;
  const x = a.to.x - 10;
  const y = a.labelBelow ? a.to.y + a.width / 2 + 12 : a.to.y - a.width / 2 - 4;
  const w = label.length * 6.4 + 6; // 11px bold: about 6.4px a character
  return (
    <g className="traffic-label" data-label-for={a.key}>
      <rect x={x - w + 3} y={y - 10} width={w} height={13} rx={3} />
      <text className="traffic" x={x} y={y} textAnchor="end">{label}</text>
    </g>
  );
}

export function ClusterMap({ layout: l, selected, onSelect }: Props) {
  const pick = (o: ObjectRef) => (e: { stopPropagation(): void }) => {
    e.stopPropagation();
    onSelect(o);
  };
  const cls = (base: string, o: ObjectRef) => `${base}${same(selected, o) ? ' selected' : ''}`;
  return (
    <svg width={l.width} height={l.height} viewBox={`0 0 ${l.width} ${l.height}`} role="img" aria-label="Services, endpoints and pods">
      <defs>
        {(['endpoint', 'not-ready', 'ingress'] as const).map((k) => (
          <marker key={k} id={`head-${k}`} viewBox="0 0 10 10" refX="4" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse" markerUnits="userSpaceOnUse">
            <path d="M0,0 L10,5 L0,10 z" className={`head ${k}`} transform="scale(1.2)" />
          </marker>
        ))}
      </defs>
      {l.nodes.map((n) => {
        const ref: ObjectRef = { kind: 'Node', name: n.title };
        return (
          <g key={n.title} className={n.node ? cls(`node ${n.node.ready ? 'ready' : 'not-ready'}`, ref) : 'node pending'} data-node={n.node ? n.title : undefined}>
            <rect x={n.box.x} y={n.box.y} width={n.box.w} height={n.box.h} rx={10} onClick={n.node ? pick(ref) : undefined} />
            <text className="title" x={n.box.x + 12} y={n.box.y + 20}>{n.title}</text>
            {n.node && (
              <text className="sub" x={n.box.x + 12} y={n.box.y + 36}>
                {[n.node.ready ? 'Ready' : 'NotReady', n.node.roles.join(',') || null, n.node.ip].filter(Boolean).join(' · ')}
              </text>
            )}
            {n.pods.map(({ pod, box }) => {
              const pref: ObjectRef = { kind: 'Pod', namespace: pod.namespace, name: pod.name };
              return (
                <g key={pod.id} className={cls(podClass(pod), pref)} data-pod={pod.id} data-ready={String(pod.ready)} onClick={pick(pref)}>
                  <rect x={box.x} y={box.y} width={box.w} height={box.h} rx={6} />
                  <text className="name" x={box.x + 8} y={box.y + 18}>{clip(pod.name, 32)}</text>
                  <text className="sub" x={box.x + 8} y={box.y + 36}>{`${pod.readyContainers} ${pod.status}${pod.ip ? ` · ${pod.ip}` : ''}`}</text>
                  <title>{`${pod.id}${pod.owner ? ` (${pod.owner.kind} ${pod.owner.name})` : ''}`}</title>
                </g>
              );
            })}
          </g>
        );
      })}
      {l.services.map(({ service: s, box, total }) => {
        const ref: ObjectRef = { kind: 'Service', namespace: s.namespace, name: s.name };
        const ready = s.endpoints.filter((e) => e.ready).length;
        return (
          <g key={s.id} className={cls(`service${ready === 0 && s.selector ? ' empty' : ''}`, ref)} data-service-box={s.id} onClick={pick(ref)}>
            <rect x={box.x} y={box.y} width={box.w} height={box.h} rx={8} />
            <text className="title" x={box.x + 10} y={box.y + 18}>{clip(`${s.namespace === 'default' ? '' : `${s.namespace}/`}${s.name}`, 28)}</text>
            <text className="sub" x={box.x + 10} y={box.y + 35}>{clip(`${s.type} ${s.clusterIP ?? ''} ${s.ports.join(' ')}`, 34)}</text>
            <text className="sub" x={box.x + 10} y={box.y + 52}>{`${ready}/${s.endpoints.length} endpoints ready`}</text>
            {total && (
              <text className="sub traffic" x={box.x + 10} y={box.y + 68} data-total-connections={total.connections}>
                {`${count(total.connections)} conn${total.perSecond > 0 ? ` +${rate(total.perSecond)}/s` : ''}${total.packets !== undefined ? ` · ${count(total.packets)} pkts` : ''}`}
              </text>
            )}
          </g>
        );
      })}
      {l.ingresses.map(({ ingress: i, box, rules }) => {
        const ref: ObjectRef = { kind: 'Ingress', namespace: i.namespace, name: i.name };
        return (
          <g key={i.id} className={cls('ingress', ref)} data-ingress={i.id} onClick={pick(ref)}>
            <rect x={box.x} y={box.y} width={box.w} height={box.h} rx={8} />
            <text className="title" x={box.x + 10} y={box.y + 18}>{clip(`Ingress ${i.name}`, 32)}</text>
            <text className="sub" x={box.x + 10} y={box.y + 33}>{clip([i.className, i.addresses.join(',')].filter(Boolean).join(' · ') || 'no address yet', 38)}</text>
            {rules.map(({ rule, y, missing }, k) => (
              <g key={k}>
                <text className={`rule${missing ? ' missing' : ''}`} data-missing={missing ? 'true' : undefined} x={box.x + 10} y={y + 4}>
                  {clip(`${rule.host}${rule.path} → ${rule.service ? rule.service.slice(rule.service.indexOf('/') + 1) : '?'}${rule.port ? `:${rule.port}` : ''}`, 37)}
                </text>
                {missing && <title>{`Service ${rule.service} not found`}</title>}
              </g>
            ))}
          </g>
        );
      })}
      {l.arrows.map((a) => <ArrowPath key={a.key} a={a} />)}
      {l.arrows.map((a) => <TrafficLabel key={a.key} a={a} />)}
    </svg>
  );
}
