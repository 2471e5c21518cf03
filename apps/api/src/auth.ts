import { getConnInfo } from '@hono/node-server/conninfo';
import { hasRole, type UserRole, type UserStore } from '@loket/core';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './context.ts';
import { ApiError } from './errors.ts';
import { hashToken } from './tokens.ts';

/**
 * Counts failed authentications per client address in a fixed window. Brute-forcing tokens is
 * pointless (256 bits), but repeated failures are noise an office's server should not serve.
 */
export class AuthFailureThrottle {
  private readonly failures = new Map<string, { count: number; windowEndsAt: number }>();
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  retryAfterSeconds(client: string): number | null {
    const entry = this.failures.get(client);
    if (!entry) return null;
    const remaining = entry.windowEndsAt - this.now();
    if (remaining <= 0) {
      this.failures.delete(client);
      return null;
    }
    return entry.count >= this.limit ? Math.ceil(remaining / 1000) : null;
  }

  recordFailure(client: string): void {
    const now = this.now();
    const entry = this.failures.get(client);
    if (!entry || entry.windowEndsAt <= now) {
      this.failures.set(client, { count: 1, windowEndsAt: now + this.windowMs });
      if (this.failures.size > 10_000) this.evictExpired(now);
      return;
    }
    entry.count += 1;
  }

  private evictExpired(now: number): void {
    for (const [client, entry] of this.failures) if (entry.windowEndsAt <= now) this.failures.delete(client);
  }
}

export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket.
    return 'unknown';
  }
}

export function authenticate(users: UserStore, throttle: AuthFailureThrottle): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const client = clientAddress(c);
    const retryAfter = throttle.retryAfterSeconds(client);
    if (retryAfter !== null) {
      throw new ApiError('RATE_LIMITED', 'too many failed authentications; try again later', {
        headers: { 'Retry-After': String(retryAfter) },
      });
    }
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      throttle.recordFailure(client);
      throw new ApiError('UNAUTHORIZED', 'send Authorization: Bearer <token>', {
        headers: { 'WWW-Authenticate': 'Bearer' },
      });
    }
    const user = match[1].length <= 200 ? await users.findByTokenHash(hashToken(match[1])) : null;
    if (!user?.active) {
      throttle.recordFailure(client);
      throw new ApiError('UNAUTHORIZED', 'the token is not valid', {
        headers: { 'WWW-Authenticate': 'Bearer' },
      });
    }
    c.set('user', user);
    await next();
  };
}

export function requireRole(role: UserRole): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!hasRole(c.get('user'), role)) throw new ApiError('FORBIDDEN', `this needs the ${role} role`);
    await next();
  };
}
