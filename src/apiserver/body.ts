// Request bodies: JSON or YAML (`application/yaml`), parsed to a plain value, with the
// 400 messages Kubernetes gives for a body it cannot read.
import { parse as parseYaml } from 'yaml';
import { ApiError, errors } from '../api/status.ts';
import { decodeProtobuf } from './protobuf/decode.ts';

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
}

const READABLE = new Set(['application/json', 'application/yaml', 'application/apply-patch+yaml', 'application/merge-patch+json', 'application/json-patch+json', 'application/strategic-merge-patch+json', 'text/plain', '*/*']);

export function parseBody(buf: Buffer | undefined, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  // kubectl 1.32+ sends typed objects (`create deployment`, ...) as protobuf.
  if (type === 'application/vnd.kubernetes.protobuf') return decodeProtobuf(buf ?? Buffer.alloc(0));
  if (!READABLE.has(type)) {
    throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
  }
  const text = buf?.toString('utf8') ?? '';
  if (text.trim() === '') throw errors.badRequest('the body of the request was empty');
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
