import { createRoute, z } from '@hono/zod-openapi';
import type { LoketApp } from '../app.ts';
import { attachmentHeaders } from '../attachment-headers.ts';
import type { ApiDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { idParam } from '../schemas.ts';

const binary = { schema: z.string().openapi({ format: 'binary' }) };

const getAttachment = createRoute({
  method: 'get',
  path: '/v1/attachments/{id}',
  tags: ['tickets'],
  summary: "A citizen's or an officer's file (the read is audited)",
  description:
    'The bytes as kept. Images, PDFs, audio and video come with their type, inline; other passive ' +
    'types as a download; types a browser could run (HTML, SVG, XML, scripts) as ' +
    '`application/octet-stream`, always a download. Never cached. 404 `ATTACHMENT_NOT_KEPT` when the ' +
    'file is not kept, with the reason: over the size limit, failed download, deleted by the ' +
    "retention policy, or erased with the citizen's data.",
  request: { params: idParam },
  responses: {
    200: {
      description: 'The file',
      content: {
        'application/octet-stream': binary,
        'image/*': binary,
        'application/pdf': binary,
        'audio/*': binary,
        'video/*': binary,
      },
    },
    ...errorResponses(401, 404),
  },
});

export function registerAttachmentRoutes(app: LoketApp, deps: ApiDeps): void {
  app.openapi(getAttachment, async (c) => {
    const { id } = c.req.valid('param');
    const attachment = await deps.attachments.get(id);
    if (!attachment) throw new ApiError('ATTACHMENT_NOT_FOUND', 'no attachment with that id');
    if (!attachment.storageKey) {
      throw new ApiError(
        'ATTACHMENT_NOT_KEPT',
        `the file was not kept: ${attachment.error ?? 'no reason recorded'}`,
      );
    }
    const bytes = deps.files ? await deps.files.get(attachment.storageKey) : null;
    if (!bytes) throw new ApiError('ATTACHMENT_NOT_KEPT', 'the file is missing from the file store');
    // UU PDP: a citizen's document seen by staff is on record, like a read of the conversation.
    await deps.audit.record({
      actorId: c.get('user').id,
      action: 'attachment.read',
      target: `attachment:${attachment.id}`,
      meta: { ticketId: attachment.ticketId, messageId: attachment.messageId },
    });
    const headers = attachmentHeaders(attachment);
    // The store's bytes sit on a plain ArrayBuffer (never shared); the cast only narrows the type.
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      ...headers,
      'Content-Length': String(bytes.byteLength),
    });
  });
}
