// OpenAPI documents for the served kinds, built from src/api/schema: Swagger 2.0 for
// /openapi/v2 (definitions named like Kubernetes', io.k8s.api.core.v1.Service, with
// x-kubernetes-group-version-kind) and OpenAPI 3.0 per group-version for /openapi/v3/<gv>
// (what `kubectl explain` reads in 1.27+). Both carry a PATCH operation per kind that accepts
// `fieldValidation`, which is how kubectl decides the server validates fields itself.
// Owns: the documents' content. Serving them (media types, protobuf, hashes) is the API server's.
import { RESOURCES, groupVersion } from './resources.ts';
import type { ResourceType } from './resources.ts';
import { schemaFor } from './schema/index.ts';
import type { FieldSchema, ObjectSchema } from './schema/index.ts';
import { BugError } from '../lib/errors.ts';

type Json = Record<string, unknown>;

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

const SHARED: Record<string, Json> = {
  [INT_OR_STRING]: {
    description: 'IntOrString is a type that can hold an int32 or a string.',
    type: 'string',
    format: 'int-or-string',
  },
  [QUANTITY]: {
    description: 'Quantity is a fixed-point representation of a number, e.g. 100m, 1Gi, 0.5.',
    type: 'string',
  },
};

const KIND_DOCS: Record<string, string> = {
  Namespace: 'Namespace provides a scope for Names. Use of multiple namespaces is optional.',
  Node: 'Node is a worker node in Kubernetes.',
  Pod: 'Pod is a collection of containers that can run on a host.',
  Service:
    'Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.',
  Endpoints: 'Endpoints is a collection of endpoints that implement the actual service.',
  ConfigMap: 'ConfigMap holds configuration data for pods to consume.',
  Secret: 'Secret holds secret data of a certain type.',
  ServiceAccount:
    'ServiceAccount binds together: * a name, understood by users, and perhaps by peripheral systems, for an identity * a principal that can be authenticated and authorized * a set of secrets',
  Event: 'Event is a report of an event somewhere in the cluster.',
  Deployment: 'Deployment enables declarative updates for Pods and ReplicaSets.',
  ReplicaSet: 'ReplicaSet ensures that a specified number of pod replicas are running at any given time.',
  Ingress: 'Ingress is a collection of rules that allow inbound connections to reach the endpoints defined by a backend.',
  IngressClass: 'IngressClass represents the class of the Ingress, referenced by the Ingress Spec.',
  EndpointSlice: 'EndpointSlice represents a subset of the endpoints that implement a service.',
  PersistentVolume: 'PersistentVolume (PV) is a storage resource provisioned by an administrator. It is analogous to a node. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes',
  PersistentVolumeClaim: "PersistentVolumeClaim is a user's request for and claim to a persistent volume",
  StorageClass:
    'StorageClass describes the parameters for a class of storage for which PersistentVolumes can be dynamically provisioned.\n\nStorageClasses are non-namespaced; the name of the storage class according to etcd is in ObjectMeta.Name.',
  StatefulSet:
    'StatefulSet represents a set of pods with consistent identities. Identities are defined as:\n  - Network: A single stable DNS and hostname.\n  - Storage: As many VolumeClaims as requested.\n\nThe StatefulSet guarantees that a given network identity will always map to the same storage identity.',
  DaemonSet: 'DaemonSet represents the configuration of a daemon set.',
  ControllerRevision:
    'ControllerRevision implements an immutable snapshot of state data. Clients are responsible for serializing and deserializing the objects that contain their internal state. Once a ControllerRevision has been successfully created, it can not be updated. The API Server will fail validation of all requests that attempt to mutate the Data field. ControllerRevisions may, however, be deleted.',
  Job: 'Job represents the configuration of a single job.',
  CronJob: 'CronJob represents the configuration of a single cron job.',
  HorizontalPodAutoscaler:
    'HorizontalPodAutoscaler is the configuration for a horizontal pod autoscaler, which automatically manages the replica count of any resource implementing the scale subresource based on the metrics specified.',
  Lease: 'Lease defines a lease concept.',
};

/** Converts schemas to OpenAPI, collecting every object definition it meets. */
class Converter {
  readonly definitions: Record<string, Json> = {};
  private readonly refPrefix: string;
  private readonly gvk = new Map<string, Json[]>();

  constructor(refPrefix: string) {
    this.refPrefix = refPrefix;
  }

  kind(r: ResourceType): void {
    const s = schemaFor(r);
    this.gvk.set(s.def, [{ group: r.group, kind: r.kind, version: r.version }]);
    this.object(s, KIND_DOCS[r.kind]);
  }

  private ref(def: string): Json {
    return { $ref: this.refPrefix + def };
  }

  private object(s: ObjectSchema, doc?: string): Json {
    const properties: Record<string, Json> = {};
    const body: Json = { type: 'object', properties };
    const description = doc ?? s.doc;
    if (description) body.description = description;
    if (s.required?.length) body.required = s.required;
    const gvk = this.gvk.get(s.def);
    if (gvk) body['x-kubernetes-group-version-kind'] = gvk;
    const existing = this.definitions[s.def];
    if (existing === undefined) {
      this.definitions[s.def] = body; // registered first: shared sub-objects are converted once
      for (const [name, f] of Object.entries(s.fields)) properties[name] = this.field(f);
    } else if (JSON.stringify(Object.keys((existing.properties as Json) ?? {})) !== JSON.stringify(Object.keys(s.fields))) {
      throw new BugError(`two different schemas are named ${s.def}`);
    }
    return this.ref(s.def);
  }

  field(f: FieldSchema): Json {
    const doc = f.doc ? { description: f.doc } : {};
    switch (f.type) {
      case 'string':
        return f.format ? { type: 'string', format: f.format, ...doc } : { type: 'string', ...doc };
      case 'integer':
        return { type: 'integer', format: f.format, ...doc };
      case 'number':
        return { type: 'number', format: 'double', ...doc };
      case 'boolean':
        return { type: 'boolean', ...doc };
      case 'int-or-string':
        this.definitions[INT_OR_STRING] = SHARED[INT_OR_STRING];
        return this.ref(INT_OR_STRING);
      case 'quantity':
        this.definitions[QUANTITY] = SHARED[QUANTITY];
        return this.ref(QUANTITY);
      case 'map':
        return { type: 'object', additionalProperties: this.field(f.values), ...doc };
      case 'array':
        return { type: 'array', items: this.field(f.items), ...doc };
      case 'object':
        return this.object(f);
      case 'any':
        return { type: 'object', ...doc };
    }
  }
}

/** `/api/v1/namespaces/{namespace}/services/{name}`, `/apis/apps/v1/deployments/{name}` style paths. */
function objectPath(r: ResourceType): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return `${base}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}/{name}`;
}

const FIELD_VALIDATION_DOC =
  'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict';

function patchOperation(r: ResourceType, v3: boolean): Json {
  const param: Json = v3
    ? { name: 'fieldValidation', in: 'query', description: FIELD_VALIDATION_DOC, schema: { type: 'string', uniqueItems: true } }
    : { name: 'fieldValidation', in: 'query', description: FIELD_VALIDATION_DOC, type: 'string', uniqueItems: true };
  return {
    description: `partially update the specified ${r.kind}`,
    operationId: `patch${r.kind}`,
    parameters: [param],
    'x-kubernetes-action': 'patch',
    'x-kubernetes-group-version-kind': { group: r.group, kind: r.kind, version: r.version },
  };
}

/** The Swagger 2.0 document for /openapi/v2. */
export function openapiV2(): Json {
  const conv = new Converter('#/definitions/');
  const paths: Record<string, Json> = {};
  for (const r of RESOURCES) {
    conv.kind(r);
    if (!r.virtual) paths[objectPath(r)] = { patch: patchOperation(r, false) };
  }
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.33.0' },
    paths,
    definitions: conv.definitions,
  };
}

/** The group-versions /openapi/v3 lists: `api/v1`, `apis/apps/v1`, ... */
export function openapiV3Paths(): string[] {
  return [...new Set(RESOURCES.map((r) => (r.group ? `apis/${groupVersion(r)}` : `api/${r.version}`)))];
}

/** The OpenAPI 3.0 document for /openapi/v3/<path> (path as from openapiV3Paths), or undefined. */
export function openapiV3(path: string): Json | undefined {
  const kinds = RESOURCES.filter((r) => (r.group ? `apis/${groupVersion(r)}` : `api/${r.version}`) === path);
  if (kinds.length === 0) return undefined;
  const conv = new Converter('#/components/schemas/');
  const paths: Record<string, Json> = {};
  for (const r of kinds) {
    conv.kind(r);
    if (!r.virtual) paths[objectPath(r)] = { patch: patchOperation(r, true) };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.33.0' },
    paths,
    components: { schemas: conv.definitions },
  };
}
