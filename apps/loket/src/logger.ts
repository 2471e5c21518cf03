import { maskPersonalData } from '@loket/core';
import { pino } from 'pino';

/**
 * The one logger. Every line passes through `maskPersonalData` after serialisation, so a NIK or KK
 * number is masked wherever it hides: message text, error messages, request bodies.
 */
export function createLogger(options: { level: string; destination?: pino.DestinationStream }) {
  return pino(
    {
      level: options.level,
      base: { service: 'loket' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'token',
          '*.token',
          'authorization',
          '*.authorization',
          'headers.authorization',
          'req.headers.authorization',
        ],
        censor: '[redacted]',
      },
      hooks: { streamWrite: (line) => maskPersonalData(line) },
    },
    options.destination,
  );
}

export type AppLogger = ReturnType<typeof createLogger>;
