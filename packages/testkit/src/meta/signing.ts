import { createHmac } from 'node:crypto';

/** `sha256=<hex HMAC-SHA256(appSecret, body)>`, the X-Hub-Signature-256 value Meta sends. */
export function signMetaBody(rawBody: Uint8Array | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

export type WebhookTamper =
  /** The body is changed after signing (a space added inside), so the signature no longer matches. */
  | 'body'
  /** One hex digit of the signature is changed. */
  | 'signature'
  /** No header at all. */
  | 'unsigned';

export type SignedWebhook = { rawBody: Uint8Array; signature: string | undefined };

/**
 * The exact bytes of a webhook and their signature, as an adapter's handleWebhook takes them. A
 * string payload is sent as it is (fixtures keep Meta's whitespace); anything else is JSON.stringified.
 */
export function signedWebhookRequest(
  payload: unknown,
  appSecret: string,
  options: { tamper?: WebhookTamper } = {},
): SignedWebhook {
  const text =
    typeof payload === 'string'
      ? payload
      : payload instanceof Uint8Array
        ? Buffer.from(payload).toString('utf8')
        : JSON.stringify(payload);
  const rawBody = payload instanceof Uint8Array ? payload : new Uint8Array(Buffer.from(text, 'utf8'));
  const signature = signMetaBody(rawBody, appSecret);
  switch (options.tamper) {
    case 'unsigned':
      return { rawBody, signature: undefined };
    case 'signature': {
      const last = signature.at(-1) === '0' ? '1' : '0';
      return { rawBody, signature: `${signature.slice(0, -1)}${last}` };
    }
    case 'body': {
      // Whitespace after the first brace keeps it valid JSON with the same meaning, but other bytes.
      const changed = text.replace('{', '{ ');
      return { rawBody: new Uint8Array(Buffer.from(changed, 'utf8')), signature };
    }
    default:
      return { rawBody, signature };
  }
}

/** POSTs a signed webhook to a URL as Meta does (exact bytes, the header), for route tests. */
export async function postSignedWebhook(
  url: string,
  payload: unknown,
  appSecret: string,
  options: { tamper?: WebhookTamper } = {},
): Promise<{ status: number; body: string }> {
  const { rawBody, signature } = signedWebhookRequest(payload, appSecret, options);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature === undefined ? {} : { 'x-hub-signature-256': signature }),
    },
    body: rawBody,
  });
  return { status: response.status, body: await response.text() };
}
