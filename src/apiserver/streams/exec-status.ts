// What the exec protocols (v4/v5.channel.k8s.io) put on the error/status channel at the end:
// a metav1.Status in JSON, as the kubelet writes it and client-go's errorDecoderV4 reads it.
import { ApiError, errors } from '../../api/status.ts';

export interface ExecStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes: { reason?: string; message: string }[] };
  code?: number;
}

export function successStatus(): ExecStatus {
  return { metadata: {}, status: 'Success' };
}

/** kubectl turns this into `command terminated with exit code N` and exits with N. */
export function exitCodeStatus(code: number): ExecStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: exit status ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

export function statusForExit(code: number): ExecStatus {
  return code === 0 ? successStatus() : exitCodeStatus(code);
}

/** A command that could not start: kubectl prints `error: <message>` and exits 1. */
export function errorStatus(err: unknown): ExecStatus {
  const api = err instanceof ApiError ? err : errors.internal(err instanceof Error ? err.message : String(err));
  const s: ExecStatus = { metadata: {}, status: 'Failure', message: api.message, reason: api.reason, code: api.code };
  if (api.details?.causes) s.details = { causes: api.details.causes.map((c) => ({ ...(c.reason ? { reason: c.reason } : {}), message: c.message })) };
  else if (!(err instanceof ApiError)) s.details = { causes: [{ message: err instanceof Error ? err.message : String(err) }] };
  return s;
}
