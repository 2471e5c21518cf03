import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A JSON number written with all its digits. Instagram writes pks, media ids, timestamps in
 * microseconds and seq ids as bare numbers, many beyond 2^53; instagram-private-api parses them with
 * json-bigint (`storeAsString`), which turns any number of more than 15 digits into a string. A fake
 * that wrote them as JS numbers would lose digits, and one that wrote them as strings would not
 * exercise that parsing.
 */
export class RawNumber {
  readonly digits: string;
  constructor(value: string | number | bigint) {
    const digits = String(value);
    if (!/^-?\d+$/.test(digits)) throw new Error(`RawNumber: ${digits} is not an integer`);
    this.digits = digits;
  }
  toJSON(): string {
    return `${RAW_MARK}${this.digits}`;
  }
}

const RAW_MARK = '\u0000raw:';
const RAW_PATTERN = /"\\u0000raw:(-?\d+)"/g;

export function toWireJson(body: unknown): string {
  return JSON.stringify(body).replace(RAW_PATTERN, '$1');
}

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The fields of a form post; a `signed_body=<signature>.<json>` form is unwrapped to its JSON fields. */
export function parseForm(body: Buffer): { fields: Record<string, unknown>; signed: boolean } {
  const params = new URLSearchParams(body.toString('utf8'));
  const signedBody = params.get('signed_body');
  if (signedBody === null) return { fields: Object.fromEntries(params), signed: false };
  const dot = signedBody.indexOf('.');
  const signature = signedBody.slice(0, dot);
  // The app signs with an HMAC (64 hex digits); newer apps send the literal word SIGNATURE.
  if (dot < 0 || !/^([0-9a-f]{64}|SIGNATURE)$/.test(signature)) {
    throw new Error('signed_body is not <signature>.<json>');
  }
  return { fields: JSON.parse(signedBody.slice(dot + 1)) as Record<string, unknown>, signed: true };
}

export type CookieToSet = { name: string; value: string; maxAgeSeconds?: number };

/**
 * Host-only cookies (no Domain attribute) for whatever host the client addressed, so the cookie jar
 * of a client pointed at 127.0.0.1 keeps them. Instagram's own carry `Domain=.instagram.com; Secure`,
 * which a jar would refuse from 127.0.0.1 over plain HTTP.
 */
export function setCookieHeader(cookie: CookieToSet): string {
  const maxAge = cookie.maxAgeSeconds ?? 31_449_600;
  return `${cookie.name}=${cookie.value}; Max-Age=${maxAge}; Path=/; HttpOnly`;
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return cookies;
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): void {
  const text = toWireJson(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** The bodies Instagram answers failures with, as the app receives them. */
export const failureBodies = {
  loginRequired: {
    message: 'login_required',
    error_title: "You've Been Logged Out",
    error_body: 'Please log back in.',
    logout_reason: 8,
    status: 'fail',
  },
  rateLimited: { message: 'Please wait a few minutes before you try again.', status: 'fail' },
  spam: {
    message: 'feedback_required',
    spam: true,
    feedback_title: 'Try Again Later',
    feedback_message:
      'We limit how often you can do certain things on Instagram to protect our community. Tell us if you think we made a mistake.',
    feedback_url: 'repute/report_problem/scraping/',
    feedback_appeal_label: 'Tell us',
    feedback_ignore_label: 'OK',
    feedback_action: 'report_problem',
    status: 'fail',
  },
  csrf: { message: 'CSRF token missing or incorrect', status: 'fail' },
  notFound: { message: 'Page Not Found', status: 'fail' },
  badPassword: (username: string) => ({
    message: 'The password you entered is incorrect. Please try again.',
    invalid_credentials: true,
    error_title: `Incorrect Password for ${username}`,
    buttons: [{ title: 'Try Again', action: 'dismiss' }],
    status: 'fail',
    error_type: 'bad_password',
  }),
  invalidUser: {
    message:
      "The username you entered doesn't appear to belong to an account. Please check your username and try again.",
    invalid_credentials: true,
    error_title: 'Incorrect Username',
    buttons: [{ title: 'Try Again', action: 'dismiss' }],
    status: 'fail',
    error_type: 'invalid_user',
  },
  checkpoint: (pk: string) => ({
    message: 'challenge_required',
    challenge: {
      url: `https://i.instagram.com/challenge/${pk}/Yq2kLVZx3m/`,
      api_path: `/challenge/${pk}/Yq2kLVZx3m/`,
      hide_webview_header: true,
      lock: true,
      logout: false,
      native_flow: true,
      flow_render_type: 0,
    },
    status: 'fail',
    error_type: 'checkpoint_challenge_required',
  }),
  twoFactor: (username: string) => ({
    message: '',
    two_factor_required: true,
    two_factor_info: {
      username,
      sms_two_factor_on: false,
      totp_two_factor_on: true,
      obfuscated_phone_number: '',
      two_factor_identifier: 'ZmFrZS10d28tZmFjdG9yLWlkZW50aWZpZXI=',
      show_messenger_code_option: false,
      show_new_login_screen: true,
      show_trusted_device_option: true,
      pending_trusted_notification: false,
    },
    phone_verification_settings: {
      max_sms_count: 2,
      resend_sms_delay_sec: 60,
      robocall_count_down_time_sec: 30,
      robocall_after_max_sms: true,
    },
    status: 'fail',
    error_type: 'two_factor_required',
  }),
} as const;
