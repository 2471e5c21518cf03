import { z } from 'zod';
import { OUTBOUND_PACING_SCHEMA } from '../delivery/send-pacing.ts';
import type { ChannelName } from './types.ts';

/**
 * The settings of a channel an admin may change at runtime: none of them is a secret (tokens and
 * passwords stay in the environment). Each is optional; what is not set comes from the environment.
 * `outbound` paces the gateway's sends (see send-pacing.ts); it applies without a restart.
 */
export const CHANNEL_CONFIG_SCHEMAS = {
  telegram: z
    .object({ pollTimeoutSeconds: z.number().int().min(0).max(50), outbound: OUTBOUND_PACING_SCHEMA })
    .partial()
    .strict(),
  whatsapp: z
    .object({
      acceptGroups: z.boolean(),
      perChatIntervalMs: z.number().int().min(0).max(600_000),
      globalPerMinute: z.number().int().min(1).max(6000),
      outbound: OUTBOUND_PACING_SCHEMA,
    })
    .partial()
    .strict(),
  instagram: z
    .object({
      pollIntervalMs: z.number().int().min(100).max(3_600_000),
      approveRequests: z.boolean(),
      outbound: OUTBOUND_PACING_SCHEMA,
    })
    .partial()
    .strict(),
  'whatsapp-cloud': z.object({ outbound: OUTBOUND_PACING_SCHEMA }).partial().strict(),
  'instagram-graph': z.object({ outbound: OUTBOUND_PACING_SCHEMA }).partial().strict(),
} satisfies Record<ChannelName, z.ZodType>;

export type ChannelConfigs = { [C in ChannelName]: z.infer<(typeof CHANNEL_CONFIG_SCHEMAS)[C]> };
export type ChannelConfig = ChannelConfigs[ChannelName];

/** A stored configuration, read leniently: an unreadable one (older version) counts as empty. */
export function readChannelConfig<C extends ChannelName>(channel: C, stored: unknown): ChannelConfigs[C] {
  const parsed = CHANNEL_CONFIG_SCHEMAS[channel].safeParse(stored ?? {});
  return (parsed.success ? parsed.data : {}) as ChannelConfigs[C];
}
