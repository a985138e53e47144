// `mk run`'s objects, as kubectl's run command builds them (kubectl/pkg/cmd/run/run.go): the
// flags checked in kubectl's order with its messages, a bare Pod labelled run=NAME (or --labels)
// with one container named after the pod, and for --expose a ClusterIP Service. Pure: no I/O.
import type { KubeObject } from '../api/types.ts';
import { UserError } from '../lib/errors.ts';

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

export interface RunFlags {
  name?: string;
  image?: string;
  /** -i: keep stdin open on the container */
  stdin: boolean;
  /** -t: allocate a TTY */
  tty: boolean;
  /** --attach; undefined: true when -i is given */
  attach?: boolean;
  rm: boolean;
  restart: string;
  env: string[];
  labels?: string;
  annotations: string[];
  port?: string;
  expose: boolean;
  /** --command: the arguments replace the image's entrypoint (command) instead of its CMD (args) */
  command: boolean;
  args: string[];
  imagePullPolicy?: string;
  privileged: boolean;
  leaveStdinOpen: boolean;
  dryRun: 'none' | 'client' | 'server';
}

export interface RunPlan {
  name: string;
  attach: boolean;
  restart: RestartPolicy;
  labels: Record<string, string>;
  pod: KubeObject;
  service?: KubeObject;
}

const fail = (message: string): never => {
  throw new UserError(`error: ${message}`);
};
/** kubectl's usage errors end with where to read more. */
const usage = (message: string): never => fail(`${message}\nSee 'mk run -h' for help and examples`);

// distribution/reference's ReferenceRegexp: [domain/]path[:tag][@digest]
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?';
const REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);

export function isImageReference(image: string): boolean {
  return REFERENCE.test(image);
}

/** kubectl's parseLabels: `k=v,k2=v2`. */
export function parseLabels(text: string | undefined): Record<string, string> | undefined {
  if (!text) return undefined;
  const out: Record<string, string> = {};
  for (const spec of text.split(',')) {
    const kv = spec.split('=');
    if (kv.length !== 2) fail(`unexpected label spec: ${spec}`);
    if (kv[0] === '') fail('unexpected empty label key');
    out[kv[0]!] = kv[1]!;
  }
  return out;
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** kubectl's parseEnvs: NAME=VALUE with a valid variable name. */
export function parseEnvs(list: string[]): { name: string; value: string }[] {
  return list.map((e) => {
    const at = e.indexOf('=');
    const name = at < 0 ? '' : e.slice(0, at);
    if (at < 0 || name === '' || !ENV_NAME.test(name)) fail(`invalid env: ${e}`);
    return { name, value: e.slice(at + 1) };
  });
}

function parseAnnotations(list: string[]): Record<string, string> | undefined {
  if (list.length === 0) return undefined;
  const out: Record<string, string> = {};
  const invalid = list.filter((a) => !a.includes('='));
  if (invalid.length) fail(`invalid annotations format: ${invalid.join(', ')}`);
  for (const a of list) out[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
  return out;
}

function restartPolicy(text: string, interactive: boolean): RestartPolicy {
  if (text === '') return interactive ? 'OnFailure' : 'Always';
  if (text === 'Always' || text === 'OnFailure' || text === 'Never') return text;
  return usage(`invalid restart policy: ${text}`);
}

/** Checks the flags as kubectl's Complete and Validate do, then builds the objects. */
export function planRun(f: RunFlags): RunPlan {
  if (f.image === undefined) fail('required flag(s) "image" not set');
  const annotations = parseAnnotations(f.annotations);
  const userLabels = parseLabels(f.labels);
  const env = parseEnvs(f.env);
  const restart = restartPolicy(f.restart, f.stdin);
  const pull = f.imagePullPolicy ?? '';
  if (pull !== '' && !['Always', 'IfNotPresent', 'Never'].includes(pull)) fail(`invalid image pull policy: ${pull}`);
  const attach = f.attach ?? f.stdin;
  if (!f.name) return fail('NAME is required for run');
  if (!f.image) return fail('--image is required');
  if (!isImageReference(f.image)) fail(`Invalid image name "${f.image}": invalid reference format`);
  if (f.tty && !f.stdin) usage('-i/--stdin is required for containers with -t/--tty=true');
  if (f.expose && !f.port) fail('--port must be set when exposing a service');
  if (f.port && !/^[-+]?\d+$/.test(f.port)) fail('--port must be a number');
  if (!attach && f.rm) usage('--rm should only be used for attached containers');
  if (attach && f.dryRun !== 'none') fail("--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");

  const labels = userLabels ?? { run: f.name };
  const container: Record<string, unknown> = { name: f.name, image: f.image };
  if (f.args.length) container[f.command ? 'command' : 'args'] = f.args;
  if (f.port) container.ports = [{ containerPort: Number(f.port) }];
  if (env.length) container.env = env;
  container.resources = {};
  if (pull) container.imagePullPolicy = pull;
  if (f.privileged) container.securityContext = { privileged: true };
  if (f.stdin) container.stdin = true;
  if (f.stdin && !f.leaveStdinOpen) container.stdinOnce = true;
  if (f.tty) container.tty = true;
  const metadata: KubeObject['metadata'] = { name: f.name, labels };
  if (annotations) metadata.annotations = annotations;
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: { containers: [container], restartPolicy: restart, dnsPolicy: 'ClusterFirst' },
    status: {},
  };
  const plan: RunPlan = { name: f.name, attach, restart, labels, pod };
  if (f.expose) {
    const port = Number(f.port);
    const smeta: KubeObject['metadata'] = { name: f.name };
    if (userLabels) smeta.labels = userLabels; // only the labels the user asked for
    plan.service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: smeta,
      spec: { ports: [{ port, protocol: 'TCP', targetPort: port }], selector: labels },
      status: { loadBalancer: {} },
    };
  }
  return plan;
}
