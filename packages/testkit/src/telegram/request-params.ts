import type { IncomingMessage } from 'node:http';

/** A file part of a multipart request (sendDocument, sendPhoto, …). */
export type UploadedFile = { kind: 'upload'; fileName: string; mimeType: string; bytes: Uint8Array };

export type ApiParams = Record<string, unknown>;

/** Telegram's own upload ceiling; anything larger is refused before it is parsed. */
const MAX_BODY_BYTES = 50 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > MAX_BODY_BYTES) throw new BodyTooLargeError('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Telegram accepts parameters in the query string, as JSON, urlencoded, or multipart, and mixes them.
 * Values from the text encodings stay strings; the handlers coerce what they read.
 */
export async function readApiParams(request: IncomingMessage, url: URL): Promise<ApiParams> {
  const params: ApiParams = Object.fromEntries(url.searchParams);
  if (request.method === 'GET' || request.method === 'HEAD') return params;

  const contentType = request.headers['content-type'] ?? '';
  const body = await readBody(request);
  if (body.length === 0) return params;

  if (contentType.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new SyntaxError('JSON body must be an object');
    }
    return { ...params, ...(parsed as ApiParams) };
  }
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    return { ...params, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
  }
  if (contentType.startsWith('multipart/form-data')) {
    // undici's Request knows multipart; letting it parse spares a hand-written boundary parser.
    const form = await new Request('http://fake.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    }).formData();
    for (const [name, value] of form) {
      params[name] =
        typeof value === 'string'
          ? value
          : ({
              kind: 'upload',
              fileName: value.name,
              mimeType: value.type,
              bytes: new Uint8Array(await value.arrayBuffer()),
            } satisfies UploadedFile);
    }
    return params;
  }
  throw new SyntaxError(`unsupported content type: ${contentType}`);
}

export function isUpload(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'upload';
}

export function stringParam(params: ApiParams, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function numberParam(params: ApiParams, name: string): number | undefined {
  const value = params[name];
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

export function booleanParam(params: ApiParams, name: string): boolean {
  const value = params[name];
  return value === true || value === 'true' || value === '1';
}

/** Arrays arrive as real JSON arrays in a JSON body, or as JSON text in the other encodings. */
export function stringListParam(params: ApiParams, name: string): string[] | undefined {
  const value = params[name];
  const list: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list)) return undefined;
  return list.filter((item): item is string => typeof item === 'string');
}
