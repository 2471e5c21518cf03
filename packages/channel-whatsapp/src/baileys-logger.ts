import type { SocketConfig } from '@whiskeysockets/baileys';
import type { WhatsAppLogger } from './types.ts';

/** Baileys' logger shape (pino's), which its package index does not export by name. */
export type BaileysLogger = SocketConfig['logger'];

/**
 * Baileys logs whole stanzas and message keys at info and below; only its warnings and errors reach
 * the app's logger, which redacts personal data. Its level stays 'warn' so Baileys skips building the
 * expensive trace output.
 */
export function toBaileysLogger(
  logger: WhatsAppLogger,
  bindings: Record<string, unknown> = {},
): BaileysLogger {
  const detailOf = (obj: unknown): Record<string, unknown> => {
    if (typeof obj === 'object' && obj !== null && !Array.isArray(obj)) {
      return { component: 'baileys', ...bindings, ...(obj as Record<string, unknown>) };
    }
    // A bare string is the message itself (see textOf); anything else is kept as detail.
    return typeof obj === 'string'
      ? { component: 'baileys', ...bindings }
      : { component: 'baileys', ...bindings, detail: obj };
  };
  const textOf = (obj: unknown, msg: string | undefined) =>
    msg ?? (typeof obj === 'string' ? obj : 'baileys');
  return {
    level: 'warn',
    child: (more) => toBaileysLogger(logger, { ...bindings, ...more }),
    trace() {},
    debug() {},
    info() {},
    warn: (obj, msg) => logger.warn(detailOf(obj), textOf(obj, msg)),
    error: (obj, msg) => logger.error(detailOf(obj), textOf(obj, msg)),
  };
}

export const silentLogger: WhatsAppLogger = { debug() {}, info() {}, warn() {}, error() {} };
