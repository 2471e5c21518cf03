// The logging port. pino's logger satisfies it; tests can pass a silent one.
export type LogFn = {
  (message: string): void;
  (bindings: object, message?: string): void;
};

export type Logger = {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
};

const noop: LogFn = () => {};
export const silentLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};
