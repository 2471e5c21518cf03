import { createHash, randomBytes } from 'node:crypto';

/** A new bearer token. Only its hash is stored; the token itself is shown once. */
export function generateToken(): string {
  return `lkt_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
