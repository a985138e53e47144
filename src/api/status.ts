// Kubernetes `Status` failures as thrown values. Anything in the request path throws an
// ApiError; the API server turns it into the Status body and HTTP code kubectl expects
// (`Error from server (NotFound): services "x" not found`).
import type { ResourceType } from './resources.ts';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'Expired'
  | 'Gone'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'InternalError'
  | 'Timeout'
  | 'RequestEntityTooLarge';

export interface StatusCause {
  reason?: string; // FieldValueInvalid, FieldValueRequired, FieldValueDuplicate, FieldValueNotSupported, FieldValueForbidden, FieldValueTypeInvalid
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never> | { resourceVersion?: string };
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason | string;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  readonly details?: StatusDetails;
  constructor(code: number, reason: StatusReason, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): Status {
    const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) s.details = this.details;
    return s;
  }

  static fromStatus(s: Partial<Status>, httpCode?: number): ApiError {
    return new ApiError(s.code ?? httpCode ?? 500, (s.reason ?? 'InternalError') as StatusReason, s.message ?? 'unknown error', s.details);
  }
}

type R = Pick<ResourceType, 'group' | 'plural' | 'kind'>;

function resDetails(r: R, name: string): StatusDetails {
  return r.group ? { name, group: r.group, kind: r.plural } : { name, kind: r.plural };
}

/** `services "x"` / `deployments.apps "x"`: how Kubernetes names an object in messages. */
export function qualified(r: R, name: string): string {
  return `${r.group ? `${r.plural}.${r.group}` : r.plural} "${name}"`;
}

export const errors = {
  notFound: (r: R, name: string) => new ApiError(404, 'NotFound', `${qualified(r, name)} not found`, resDetails(r, name)),
  alreadyExists: (r: R, name: string) => new ApiError(409, 'AlreadyExists', `${qualified(r, name)} already exists`, resDetails(r, name)),
  conflict: (r: R, name: string) =>
    new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualified(r, name)}: the object has been modified; please apply your changes to the latest version and try again`,
      resDetails(r, name),
    ),
  /** `Service "kubia" is invalid: spec.ports[0].port: Invalid value: 0: ...` (`Deployment.apps "web" is invalid: ...` in a group) */
  invalid: (r: R, name: string, causes: StatusCause[]) => {
    const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
    const list = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
    return new ApiError(422, 'Invalid', `${r.group ? `${r.kind}.${r.group}` : r.kind} "${name}" is invalid: ${list}`, {
      name,
      ...(r.group ? { group: r.group } : {}),
      kind: r.kind,
      causes,
    });
  },
  badRequest: (message: string, causes?: StatusCause[]) => new ApiError(400, 'BadRequest', message, causes ? { causes } : undefined),
  expired: (message: string) => new ApiError(410, 'Expired', message),
  unauthorized: () => new ApiError(401, 'Unauthorized', 'Unauthorized'),
  methodNotAllowed: (message: string) => new ApiError(405, 'MethodNotAllowed', message),
  unsupportedMediaType: (contentType: string) =>
    new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${contentType})`),
  internal: (message: string) => new ApiError(500, 'InternalError', `Internal error occurred: ${message}`),
};

/** Field-level causes, with kubectl's wording (k8s.io/apimachinery/pkg/util/validation/field). */
export const cause = {
  invalid: (field: string, value: unknown, detail: string): StatusCause => ({
    reason: 'FieldValueInvalid',
    field,
    message: `Invalid value: ${formatValue(value)}: ${detail}`,
  }),
  required: (field: string, detail = ''): StatusCause => ({ reason: 'FieldValueRequired', field, message: detail ? `Required value: ${detail}` : 'Required value' }),
  duplicate: (field: string, value: unknown): StatusCause => ({ reason: 'FieldValueDuplicate', field, message: `Duplicate value: ${formatValue(value)}` }),
  notSupported: (field: string, value: unknown, valid: string[]): StatusCause => ({
    reason: 'FieldValueNotSupported',
    field,
    message: `Unsupported value: ${formatValue(value)}: supported values: ${valid.map((v) => `"${v}"`).join(', ')}`,
  }),
  forbidden: (field: string, detail: string): StatusCause => ({ reason: 'FieldValueForbidden', field, message: `Forbidden: ${detail}` }),
};

function formatValue(v: unknown): string {
  if (typeof v === 'string') return `"${v}"`;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

// ---- what an error was: apimachinery's errors.IsNotFound, IsConflict, IsAlreadyExists -----
// An ApiError, or anything Status-shaped a client or a test double threw. As upstream, a
// known reason decides; an error without one is judged by its HTTP code.

const KNOWN_REASONS = new Set<string>([
  'BadRequest', 'Unauthorized', 'Forbidden', 'NotFound', 'AlreadyExists', 'Conflict', 'Invalid', 'Expired', 'Gone',
  'MethodNotAllowed', 'NotAcceptable', 'UnsupportedMediaType', 'InternalError', 'Timeout', 'RequestEntityTooLarge',
]);

function reasonAndCode(e: unknown): { reason: string; code: number | undefined } {
  if (typeof e !== 'object' || e === null) return { reason: '', code: undefined };
  const x = e as { reason?: unknown; code?: unknown };
  return { reason: typeof x.reason === 'string' ? x.reason : '', code: typeof x.code === 'number' ? x.code : undefined };
}

function is(e: unknown, reason: StatusReason, code: number): boolean {
  const rc = reasonAndCode(e);
  return rc.reason === reason || (!KNOWN_REASONS.has(rc.reason) && rc.code === code);
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;
export const isNotFound = (e: unknown): boolean => is(e, 'NotFound', 404);
/** A stale resourceVersion (409 Conflict), not a name already taken. */
export const isConflict = (e: unknown): boolean => is(e, 'Conflict', 409);
export const isAlreadyExists = (e: unknown): boolean => reasonAndCode(e).reason === 'AlreadyExists';
