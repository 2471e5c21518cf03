// Prisma wraps a database failure in layers: its own error (a `P…` code), the driver adapter's error
// (`meta.driverAdapterError`, with a `kind`), and the pg or socket error underneath (`cause`, with a
// SQLSTATE or errno `code`). Classifiers look at every layer through this one walk.

/** One layer of an error: its codes (Prisma, SQLSTATE or errno), the adapter's kind, its message. */
export type ErrorLayer = { codes: string[]; kind: string | null; message: string | null };

type ErrorShape = {
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  message?: unknown;
  meta?: { code?: unknown; driverAdapterError?: unknown };
  cause?: unknown;
};

const MAX_DEPTH = 4;
const text = (value: unknown) => (typeof value === 'string' ? value : null);

/** True when `test` holds for a layer of `error`, down to a few causes deep (a cycle ends there). */
export function someErrorLayer(error: unknown, test: (layer: ErrorLayer) => boolean, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > MAX_DEPTH) return false;
  const shape = error as ErrorShape;
  const codes = [shape.code, shape.originalCode, shape.meta?.code].filter(
    (code): code is string => typeof code === 'string',
  );
  if (test({ codes, kind: text(shape.kind), message: text(shape.message) })) return true;
  return (
    someErrorLayer(shape.meta?.driverAdapterError, test, depth + 1) ||
    someErrorLayer(shape.cause, test, depth + 1)
  );
}
