import { createRoute, z } from '@hono/zod-openapi';
import { anonymiseContact, toTicketView } from '@loket/core';
import type { LoketApp } from '../app.ts';
import {
  anonymisationJson,
  anonymisationSchema,
  contactExportJson,
  contactExportSchema,
  contactJson,
  contactSchema,
} from '../contact-json.ts';
import type { ApiDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { idParam, ticketJson, ticketSchema } from '../schemas.ts';

// Citizens' data rights under UU PDP (access, erasure), for admins only (`/v1/admin/*` requires the
// role). Every call is on the audit trail, with ids and counts but never what was searched for.

const listContacts = createRoute({
  method: 'get',
  path: '/v1/admin/contacts',
  tags: ['admin'],
  summary: 'Find a citizen by name, phone or handle (audited)',
  request: {
    query: z.object({
      q: z.string().trim().min(1).max(200).optional().openapi({
        description: 'Part of the name, phone (0812… finds 62812…) or handle, or a user id on a channel',
      }),
      limit: z.coerce.number().int().min(1).max(100).default(25),
      cursor: z.string().min(1).max(500).optional(),
    }),
  },
  responses: {
    200: {
      description: 'A page of contacts, newest first',
      content: {
        'application/json': {
          schema: z.object({ items: z.array(contactSchema), nextCursor: z.string().nullable() }),
        },
      },
    },
    ...errorResponses(400, 401, 403),
  },
});

const getContact = createRoute({
  method: 'get',
  path: '/v1/admin/contacts/{id}',
  tags: ['admin'],
  summary: 'One citizen, with their identities and tickets (audited)',
  request: { params: idParam },
  responses: {
    200: {
      description: 'The contact',
      content: {
        'application/json': {
          schema: contactSchema.extend({ tickets: z.array(ticketSchema) }).openapi('ContactDetail'),
        },
      },
    },
    ...errorResponses(401, 403, 404),
  },
});

const exportContact = createRoute({
  method: 'get',
  path: '/v1/admin/contacts/{id}/export',
  tags: ['admin'],
  summary: 'Everything kept about one citizen, as a JSON download (audited)',
  description:
    'The contact and identities, every ticket with its messages (attachment metadata and download ' +
    "paths) and complaints with their stages: the answer to a citizen's access request.",
  request: { params: idParam },
  responses: {
    200: {
      description: 'The export, as `contact-<id>.json`',
      headers: z.object({ 'Content-Disposition': z.string() }),
      content: { 'application/json': { schema: contactExportSchema } },
    },
    ...errorResponses(401, 403, 404),
  },
});

const anonymise = createRoute({
  method: 'post',
  path: '/v1/admin/contacts/{id}/anonymise',
  tags: ['admin'],
  summary: "Erase a citizen's personal data, keeping the statistics (audited)",
  description:
    'In one transaction: the identities are deleted (a new message from the same account starts a new ' +
    'contact), the name becomes "Warga (dihapus)", the phone goes, every message text becomes ' +
    '"[dihapus]" with locations and contact cards cleared, attachments lose their names and files, ' +
    'complaint resolutions and notes are erased, open tickets are closed and queued replies fail. ' +
    'Kept: tickets and numbers, times, channels, services, SLA fields, complaint stages and the ' +
    'kelurahan source. Then the files go, each once no other attachment uses it. Idempotent: calling ' +
    'it again answers 200 with `alreadyAnonymized: true` and erases whatever arrived since.',
  request: { params: idParam },
  responses: {
    200: { description: 'What was erased', content: { 'application/json': { schema: anonymisationSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

const notFound = () => new ApiError('CONTACT_NOT_FOUND', 'no contact with that id');

export function registerAdminContactRoutes(app: LoketApp, deps: ApiDeps): void {
  app.openapi(listContacts, async (c) => {
    const page = await deps.contacts.search(c.req.valid('query'));
    await deps.audit.record({
      actorId: c.get('user').id,
      action: 'contact.search',
      target: 'contacts',
      meta: { results: page.items.length },
    });
    return c.json({ items: page.items.map(contactJson), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(getContact, async (c) => {
    const { id } = c.req.valid('param');
    const contact = await deps.contacts.get(id);
    if (!contact) throw notFound();
    await deps.audit.record({ actorId: c.get('user').id, action: 'contact.read', target: `contact:${id}` });
    const now = deps.clock.now();
    return c.json(
      {
        ...contactJson(contact),
        tickets: contact.tickets.map((ticket) => ticketJson(toTicketView(ticket, now, deps.replyWindows))),
      },
      200,
    );
  });

  app.openapi(exportContact, async (c) => {
    const { id } = c.req.valid('param');
    const data = await deps.contacts.export(id);
    if (!data) throw notFound();
    await deps.audit.record({
      actorId: c.get('user').id,
      action: 'contact.export',
      target: `contact:${id}`,
      meta: { tickets: data.tickets.length },
    });
    c.header(
      'Content-Disposition',
      `attachment; filename="contact-${id.replace(/[^A-Za-z0-9-]/g, '_')}.json"`,
    );
    c.header('Cache-Control', 'private, no-store');
    return c.json(contactExportJson(data, deps.clock.now()), 200);
  });

  app.openapi(anonymise, async (c) => {
    const outcome = await anonymiseContact({
      contacts: deps.contacts,
      attachments: deps.attachments,
      files: deps.files,
      audit: deps.audit,
      clock: deps.clock,
      logger: deps.logger,
      contactId: c.req.valid('param').id,
      actorId: c.get('user').id,
    });
    if (!outcome) throw notFound();
    return c.json(anonymisationJson(outcome), 200);
  });
}
