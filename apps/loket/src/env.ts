import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const httpUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//.test(value), 'an http:// or https:// URL');

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((value) =>
      value === undefined || value === '' ? fallback : value === 'true' || value === '1',
    );

const secret = (what: string) =>
  optionalText.pipe(z.string().min(8, `${what}: at least 8 characters`).max(1000).optional());

const numericId = optionalText.pipe(
  z
    .string()
    .regex(/^\d{1,30}$/, 'the numeric id Meta shows for it')
    .optional(),
);

/** What `loket start` runs: the API and the gateway together, or one of them (PostgreSQL only). */
export const LOKET_ROLES = ['all', 'api', 'gateway'] as const;
export type LoketRole = (typeof LOKET_ROLES)[number];

/** Channels whose settings only make sense together: set one, set them all. */
const CHANNEL_GROUPS = {
  Instagram: ['INSTAGRAM_USERNAME', 'INSTAGRAM_PASSWORD'],
  'WhatsApp Cloud': [
    'WHATSAPP_CLOUD_ACCESS_TOKEN',
    'WHATSAPP_CLOUD_PHONE_NUMBER_ID',
    'WHATSAPP_CLOUD_APP_SECRET',
    'WHATSAPP_CLOUD_VERIFY_TOKEN',
  ],
  'Instagram (Graph)': [
    'INSTAGRAM_GRAPH_ACCESS_TOKEN',
    'INSTAGRAM_GRAPH_ACCOUNT_ID',
    'INSTAGRAM_GRAPH_APP_SECRET',
    'INSTAGRAM_GRAPH_VERIFY_TOKEN',
  ],
} as const;

/** The environment, read once at boot (CONTRACT.md). A wrong value stops the boot with a clear message. */
export const envSchema = z
  .object({
    LOKET_ROLE: z.enum(LOKET_ROLES).default('all'),
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: optionalText.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'a postgres:// URL')
        .optional(),
    ),
    METRICS_TOKEN: optionalText.pipe(z.string().min(16, 'at least 16 characters').max(200).optional()),
    LOKET_ADMIN_TOKEN: optionalText.pipe(z.string().min(16, 'at least 16 characters').max(200).optional()),
    TELEGRAM_BOT_TOKEN: optionalText.pipe(
      z
        .string()
        .regex(/^\d+:[A-Za-z0-9_-]+$/, 'a bot token as BotFather gives it: 123456:ABC…')
        .optional(),
    ),
    TELEGRAM_API_ROOT: httpUrl.default('https://api.telegram.org'),
    TELEGRAM_WEBHOOK_URL: optionalText.pipe(httpUrl.optional()),
    TELEGRAM_WEBHOOK_SECRET: optionalText.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{16,256}$/, '16 to 256 characters of A-Z, a-z, 0-9, _ and -')
        .optional(),
    ),
    WHATSAPP_WS_URL: optionalText.pipe(
      z
        .string()
        .regex(/^wss?:\/\//, 'a ws:// or wss:// URL')
        .optional(),
    ),
    WHATSAPP_TRUSTED_ROOT_KEY: optionalText.pipe(
      z
        .string()
        .regex(/^[0-9a-f]{64}$/i, '32 bytes as 64 hex digits')
        .optional(),
    ),
    WHATSAPP_ACCEPT_GROUPS: flag(false),
    WHATSAPP_PER_CHAT_INTERVAL_MS: z.coerce.number().int().min(0).max(600_000).default(3000),
    WHATSAPP_GLOBAL_PER_MINUTE: z.coerce.number().int().min(1).max(6000).default(20),
    INSTAGRAM_USERNAME: optionalText.pipe(z.string().max(100).optional()),
    INSTAGRAM_PASSWORD: optionalText.pipe(z.string().max(200).optional()),
    INSTAGRAM_API_ROOT: httpUrl.default('https://i.instagram.com/'),
    INSTAGRAM_POLL_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(20_000),
    INSTAGRAM_APPROVE_REQUESTS: flag(true),
    WHATSAPP_CLOUD_ACCESS_TOKEN: secret('WHATSAPP_CLOUD_ACCESS_TOKEN'),
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: numericId,
    WHATSAPP_CLOUD_APP_SECRET: secret('WHATSAPP_CLOUD_APP_SECRET'),
    WHATSAPP_CLOUD_VERIFY_TOKEN: secret('WHATSAPP_CLOUD_VERIFY_TOKEN'),
    WHATSAPP_CLOUD_API_ROOT: httpUrl.default('https://graph.facebook.com'),
    INSTAGRAM_GRAPH_ACCESS_TOKEN: secret('INSTAGRAM_GRAPH_ACCESS_TOKEN'),
    INSTAGRAM_GRAPH_ACCOUNT_ID: numericId,
    INSTAGRAM_GRAPH_APP_SECRET: secret('INSTAGRAM_GRAPH_APP_SECRET'),
    INSTAGRAM_GRAPH_VERIFY_TOKEN: secret('INSTAGRAM_GRAPH_VERIFY_TOKEN'),
    INSTAGRAM_GRAPH_API_ROOT: httpUrl.default('https://graph.instagram.com'),
    INSTAGRAM_GRAPH_HUMAN_AGENT: flag(false),
    META_GRAPH_API_VERSION: z
      .string()
      .regex(/^v\d+\.\d+$/, 'a Graph API version such as v21.0')
      .default('v21.0'),
    SLA_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(15_000),
    // The retention policy's sweep of old attachments (`retention.attachmentDays`); default hourly.
    RETENTION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(3_600_000),
    // An outgoing webhook that fails this long without a delivery is switched off; default 3 days.
    WEBHOOK_DISABLE_AFTER_MS: z.coerce.number().int().min(60_000).max(2_592_000_000).default(259_200_000),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    BODY_LIMIT: z.coerce
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .default(1024 * 1024),
    // A client must send its headers, and its whole request, within these (slowloris protection).
    HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(120_000),
    MAX_ATTACHMENT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .default(20 * 1024 * 1024),
  })
  .superRefine((env, ctx) => {
    if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message: 'required when TELEGRAM_WEBHOOK_URL is set, so that forged updates are refused',
      });
    }
    for (const [channel, names] of Object.entries(CHANNEL_GROUPS)) {
      const missing = names.filter((name) => !env[name]);
      if (missing.length === 0 || missing.length === names.length) continue;
      for (const name of missing) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `required for ${channel}: set all of ${names.join(', ')}, or none`,
        });
      }
    }
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
  throw new EnvError(`Loket cannot start: the environment is not valid.\n${lines.join('\n')}`);
}
