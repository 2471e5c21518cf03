import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a route answers: JSON or bytes, with a status and headers. */
export type GraphReply = {
  status: number;
  json?: unknown;
  bytes?: Uint8Array;
  headers?: Record<string, string>;
  /** Leave Content-Length out so the body goes chunked. */
  chunked?: boolean;
};

const MAX_BODY_BYTES = 150 * 1024 * 1024;

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    total += buffer.byteLength;
    if (total > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** JSON or urlencoded (Graph accepts both; urlencoded values may themselves be JSON). */
export function parseParams(contentType: string, body: Buffer): Record<string, unknown> | undefined {
  const text = body.toString('utf8');
  if (contentType.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(text);
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  }
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    try {
      params[key] = value.startsWith('{') ? JSON.parse(value) : value;
    } catch {
      params[key] = value;
    }
  }
  return params;
}

/** Multipart bodies are parsed by undici's own FormData parser, so the fake needs no dependency. */
export async function parseMultipart(contentType: string, body: Buffer): Promise<FormData | undefined> {
  try {
    return await new Request('http://fake.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    }).formData();
  } catch {
    return undefined;
  }
}

export function sendReply(response: ServerResponse, reply: GraphReply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload: Uint8Array;
  if (reply.bytes) {
    payload = reply.bytes;
  } else {
    payload = Buffer.from(JSON.stringify(reply.json ?? {}));
    headers['content-type'] = 'application/json; charset=UTF-8';
  }
  if (!reply.chunked) headers['content-length'] = String(payload.byteLength);
  response.writeHead(reply.status, headers);
  response.end(payload);
}
