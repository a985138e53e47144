// Request bodies: JSON or YAML (`application/yaml`), parsed to a plain value, with the
// 400 messages Kubernetes gives for a body it cannot read.
import { parse as parseYaml } from 'yaml';
import { errors } from '../api/status.ts';

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
}

export function parseBody(buf: Buffer | undefined, contentType: string | undefined): unknown {
  const text = buf?.toString('utf8') ?? '';
  if (text.trim() === '') throw errors.badRequest('the body of the request was empty');
  const type = mediaType(contentType);
  if (type === 'application/yaml' || type === 'application/apply-patch+yaml') {
    try {
      return parseYaml(text);
    } catch (e) {
      throw errors.badRequest(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw errors.badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

export function parseObjectBody(buf: Buffer | undefined, contentType: string | undefined): Record<string, any> {
  const v = parseBody(buf, contentType);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw errors.badRequest("couldn't get version/kind; json parse error: the body is not a JSON object");
  return v as Record<string, any>;
}
