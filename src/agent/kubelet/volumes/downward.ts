// What a downwardAPI file holds, as the kubelet writes it (pkg/fieldpath, pkg/api/v1/resource):
// a pod field (name, namespace, uid, one label or annotation, or all of them as `key="value"`
// lines sorted by key), or a container's resource (limits/requests of cpu, memory,
// ephemeral-storage, divided by the divisor and rounded up; an unset limit is the node's
// allocatable amount).
import { divideQuantity, parseQuantity } from '../../../api/quantity.ts';
import type { KubeObject } from '../../../api/types.ts';

/** Go's %q for a string: double-quoted with Go's escapes. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** fieldpath.FormatMap: `key="value"` lines, sorted by key, no final newline. */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {}).sort().map((k) => `${k}=${goQuote(m![k]!)}`).join('\n');
}

/** The value of a volume's fieldRef for this pod; throws for a path volumes do not offer. */
export function podFieldValue(pod: KubeObject, fieldPath: string): string {
  const sub = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (sub) return String((pod.metadata as Record<string, any>)[sub[1]!]?.[sub[2]!] ?? '');
  switch (fieldPath) {
    case 'metadata.name': return pod.metadata.name ?? '';
    case 'metadata.namespace': return pod.metadata.namespace ?? 'default';
    case 'metadata.uid': return pod.metadata.uid ?? '';
    case 'metadata.labels': return formatMap(pod.metadata.labels);
    case 'metadata.annotations': return formatMap(pod.metadata.annotations);
    default: throw new Error(`unsupported fieldPath: ${fieldPath}`);
  }
}

export interface ResourceFieldRef { containerName?: string; resource: string; divisor?: string | number }

/** The value of a resourceFieldRef: ceil(amount / divisor) as an integer. */
export function resourceFieldValue(pod: KubeObject, ref: ResourceFieldRef, allocatable: Record<string, string>): string {
  const containers: any[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const c = containers.find((x) => x.name === ref.containerName);
  if (!c) throw new Error(`container ${ref.containerName ?? ''} not found`);
  const [kind, name] = ref.resource.split('.') as ['limits' | 'requests', string];
  let amount: string | undefined = c.resources?.[kind]?.[name];
  if (amount === undefined && kind === 'limits') amount = allocatable[name];
  const divisor = ref.divisor === undefined || ref.divisor === '' || ref.divisor === 0 || ref.divisor === '0' ? '1' : String(ref.divisor);
  return divideQuantity(parseQuantity(amount ?? '0'), parseQuantity(divisor));
}
