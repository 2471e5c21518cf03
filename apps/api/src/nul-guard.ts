import type { MiddlewareHandler } from 'hono';
import { ApiError } from './errors.ts';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
const MAX_DEPTH = 64;

/** The path of the first string (key or value) holding U+0000, or null. */
function pathOfNul(value: unknown, path: string[] = []): string[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object' || path.length > MAX_DEPTH) return null;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\u0000')) return [...path, key];
    const found = pathOfNul(inner, [...path, key]);
    if (found) return found;
  }
  return null;
}

/**
 * PostgreSQL text cannot hold U+0000: a staff request carrying one (a note, a name, a setting) would
 * fail at the database as a 500. It is refused here as what it is, a 400 naming the field. The body
 * is parsed once: Hono keeps it for the route's own validator. A body that is not JSON is left to
 * that validator's error.
 */
export function refuseNulCharacters(): MiddlewareHandler {
  return async (c, next) => {
    if (WITH_BODY.has(c.req.method) && (c.req.header('content-type') ?? '').includes('json')) {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return next();
      }
      const path = pathOfNul(body);
      if (path) {
        throw new ApiError('VALIDATION_FAILED', 'the request is not valid', {
          issues: [
            { path: path.join('.') || '(body)', message: 'must not contain the NUL character (U+0000)' },
          ],
        });
      }
    }
    return next();
  };
}
