// A failure of the database connection itself (the server restarting, down, unreachable, or out of
// connections), as opposed to a bad statement or a bug. The API answers these with 503 and
// Retry-After instead of 500, so a client (and a load balancer) knows to come back shortly.
import { someErrorLayer } from './error-chain.ts';

const UNAVAILABLE_CODES = new Set([
  'P1001', // Prisma: can't reach the database server
  'P1002', // Prisma: the server was reached but timed out
  'P1008', // Prisma: operation timed out
  'P1017', // Prisma: the server closed the connection
  'P2024', // Prisma: timed out fetching a connection from the pool
  'P2028', // Prisma: a transaction could not start in time (the pool is exhausted)
  '57P01', // admin_shutdown: the server is shutting down
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: the server is starting up
  '53300', // too_many_connections
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
]);
const UNAVAILABLE_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection is closed/i,
  /cannot use a pool after calling end/i,
  /not queryable/i, // pg: a client used after its connection failed
];

/** Looks through Prisma's error, its driver-adapter cause and the pg or socket error underneath. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return someErrorLayer(
    error,
    (layer) =>
      // SQLSTATE class 08: connection exceptions.
      layer.codes.some((code) => UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) ||
      (layer.kind !== null && UNAVAILABLE_KINDS.has(layer.kind)) ||
      (layer.message !== null &&
        UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(layer.message as string))),
  );
}
