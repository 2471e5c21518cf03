import { createRoute, z } from '@hono/zod-openapi';
import { CHANNELS } from '@loket/core';
import type { LoketApp } from '../app.ts';
import type { ApiDeps } from '../context.ts';
import { errorResponses } from '../errors.ts';
import { channelSchema } from '../schemas.ts';

const listChannels = createRoute({
  method: 'get',
  path: '/v1/admin/channels',
  tags: ['admin'],
  summary: 'Every channel: enabled, live status and detail',
  responses: {
    200: {
      description: 'The channels',
      content: { 'application/json': { schema: z.object({ items: z.array(channelSchema) }) } },
    },
    ...errorResponses(401, 403),
  },
});

const patchChannel = createRoute({
  method: 'patch',
  path: '/v1/admin/channels/{channel}',
  tags: ['admin'],
  summary: 'Switch a channel on or off; it takes effect at once, without a restart',
  request: {
    params: z.object({ channel: z.enum(CHANNELS).openapi({ param: { name: 'channel', in: 'path' } }) }),
    body: {
      content: { 'application/json': { schema: z.object({ enabled: z.boolean() }).strict() } },
      required: true,
    },
  },
  responses: {
    200: { description: 'The channel', content: { 'application/json': { schema: channelSchema } } },
    ...errorResponses(400, 401, 403, 409),
  },
});

export function registerAdminChannelRoutes(app: LoketApp, deps: ApiDeps): void {
  app.openapi(listChannels, async (c) => c.json({ items: await deps.channels.list() }, 200));

  app.openapi(patchChannel, async (c) => {
    const { channel } = c.req.valid('param');
    const { enabled } = c.req.valid('json');
    const view = await deps.channels.setEnabled(channel, enabled);
    await deps.audit.record({
      actorId: c.get('user').id,
      action: enabled ? 'channel.enable' : 'channel.disable',
      target: `channel:${channel}`,
    });
    return c.json(view, 200);
  });
}
