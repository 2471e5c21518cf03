import { createRoute, z } from '@hono/zod-openapi';
import { CHANNEL_CONFIG_SCHEMAS, CHANNELS, type ChannelConfig } from '@loket/core';
import type { LoketApp } from '../app.ts';
import type { ApiDeps } from '../context.ts';
import { ApiError, errorResponses, issuesOf } from '../errors.ts';
import { channelJson, channelSchema } from '../schemas.ts';

const listChannels = createRoute({
  method: 'get',
  path: '/v1/admin/channels',
  tags: ['admin'],
  summary: 'Every channel: enabled, live status, since when, last error, and the last hour',
  responses: {
    200: {
      description: 'The channels',
      content: { 'application/json': { schema: z.object({ items: z.array(channelSchema) }) } },
    },
    ...errorResponses(401, 403),
  },
});

const patchBody = z
  .object({
    enabled: z.boolean().optional(),
    config: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({
        description:
          'Runtime settings, not secrets: telegram `pollTimeoutSeconds`; whatsapp `acceptGroups`, ' +
          '`perChatIntervalMs`, `globalPerMinute`; instagram `pollIntervalMs`, `approveRequests`; every ' +
          'channel `outbound` {`perSecond`, `perChatIntervalMs`, `perGroupIntervalMs`}, the send pacing ' +
          '(applied to waiting sends at once). ' +
          'The whole object replaces the saved one; `{}` goes back to the environment. A running ' +
          'channel restarts with them.',
      }),
  })
  .strict()
  .refine((body) => body.enabled !== undefined || body.config !== undefined, {
    message: 'give enabled, config, or both',
    path: ['enabled'],
  });

const patchChannel = createRoute({
  method: 'patch',
  path: '/v1/admin/channels/{channel}',
  tags: ['admin'],
  summary: 'Switch a channel on or off, or change its settings; it takes effect at once, without a restart',
  request: {
    params: z.object({ channel: z.enum(CHANNELS).openapi({ param: { name: 'channel', in: 'path' } }) }),
    body: { content: { 'application/json': { schema: patchBody } }, required: true },
  },
  responses: {
    200: { description: 'The channel', content: { 'application/json': { schema: channelSchema } } },
    ...errorResponses(400, 401, 403, 409),
  },
});

export function registerAdminChannelRoutes(app: LoketApp, deps: ApiDeps): void {
  app.openapi(listChannels, async (c) =>
    c.json({ items: (await deps.channels.list()).map(channelJson) }, 200),
  );

  app.openapi(patchChannel, async (c) => {
    const { channel } = c.req.valid('param');
    const body = c.req.valid('json');
    const actorId = c.get('user').id;
    let view: Awaited<ReturnType<typeof deps.channels.list>>[number] | undefined;
    if (body.config !== undefined) {
      const parsed = CHANNEL_CONFIG_SCHEMAS[channel].safeParse(body.config);
      if (!parsed.success) {
        throw new ApiError('VALIDATION_FAILED', `these settings are not valid for ${channel}`, {
          issues: issuesOf(parsed.error).map((issue) => ({ ...issue, path: `config.${issue.path}` })),
        });
      }
      view = await deps.channels.configure(channel, parsed.data as ChannelConfig);
      await deps.audit.record({
        actorId,
        action: 'channel.configure',
        target: `channel:${channel}`,
        meta: { config: parsed.data },
      });
    }
    if (body.enabled !== undefined) {
      view = await deps.channels.setEnabled(channel, body.enabled);
      await deps.audit.record({
        actorId,
        action: body.enabled ? 'channel.enable' : 'channel.disable',
        target: `channel:${channel}`,
      });
    }
    if (!view) throw new Error('unreachable: the body names enabled or config');
    return c.json(channelJson(view), 200);
  });
}
