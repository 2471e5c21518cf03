// The database half of a citizen's right to erasure. Everything here runs in the caller's transaction.
import type { AnonymisationResult, ErasureTexts } from '@loket/core';
import type { Prisma } from '../generated/prisma/client.ts';
import { recordEvent } from './event-log.ts';

type Tx = Prisma.TransactionClient;

/**
 * Erases what identifies the citizen or what they wrote, and keeps the rows statistics count: tickets
 * (number, times, channel, service, SLA fields), messages (direction, times, delivery status),
 * attachments (kind, MIME, size) and complaints (stages, times). Every statement only changes what is
 * not erased yet, so a second run changes nothing but what arrived since, and its counts say so.
 * Null when the contact does not exist.
 */
export async function anonymiseContact(
  tx: Tx,
  contactId: string,
  options: { at: Date; erasure: ErasureTexts },
): Promise<AnonymisationResult | null> {
  const { erasure } = options;
  // A message from this citizen arriving now waits for us (finding a contact locks the same row), and
  // two anonymisations of one contact run one after the other.
  const [contact] = await tx.$queryRaw<{ anonymizedAt: Date | null }[]>`
    SELECT "anonymizedAt" FROM "Contact" WHERE id = ${contactId} FOR UPDATE`;
  if (!contact) return null;
  const anonymizedAt = contact.anonymizedAt ?? options.at;

  // Without its identities, the next message from the same account starts a new contact.
  await tx.contactIdentity.deleteMany({ where: { contactId } });
  // sourceCode stays: it is the kelurahan banner that brought the citizen, not personal data.
  await tx.contact.update({
    where: { id: contactId },
    data: { displayName: erasure.displayName, phone: null, anonymizedAt },
  });

  const ticketsKept = await tx.ticket.count({ where: { contactId } });
  // Nobody is left to answer: the chat id is erased below, so replies could not reach the citizen.
  const closed = await tx.$queryRaw<{ id: string }[]>`
    UPDATE "Ticket" SET status = 'closed', "updatedAt" = now()
    WHERE "contactId" = ${contactId} AND status IN ('open', 'pending')
    RETURNING id`;
  // Inboxes following the live feed see the tickets leave; the event carries ids and states only.
  for (const { id } of closed) {
    await recordEvent(tx, 'ticket.updated', id, { ticketId: id, changes: { status: 'closed' } });
  }
  // The thread id is the citizen's chat (a Telegram user id, a WhatsApp number).
  await tx.ticket.updateMany({
    where: { contactId, threadId: { not: erasure.threadId } },
    data: { threadId: erasure.threadId },
  });

  // Replies still queued would carry the erased text to a chat that no longer exists; their jobs find
  // them failed and finish without sending.
  await tx.$executeRaw`
    UPDATE "Message" SET "deliveryStatus" = 'failed', error = ${erasure.deliveryError}, "failedAt" = now()
    WHERE "deliveryStatus" = 'queued'
      AND "ticketId" IN (SELECT id FROM "Ticket" WHERE "contactId" = ${contactId})`;

  // Texts, locations, contact cards, and the platform's message ids (Telegram's embed the chat id).
  const messagesErased = await tx.$executeRaw`
    UPDATE "Message" SET text = ${erasure.messageText}, extra = NULL, "externalId" = NULL
    WHERE "ticketId" IN (SELECT id FROM "Ticket" WHERE "contactId" = ${contactId})
      AND (text <> ${erasure.messageText} OR extra IS NOT NULL OR "externalId" IS NOT NULL)`;

  // File names go too ("KTP Budi Santoso.jpg"); kind, MIME and size stay.
  const erasedAttachments = await tx.$queryRaw<{ storageKey: string | null }[]>`
    WITH erased AS (
      SELECT a.id, a."storageKey" FROM "Attachment" a
      JOIN "Message" m ON m.id = a."messageId"
      JOIN "Ticket" t ON t.id = m."ticketId"
      WHERE t."contactId" = ${contactId}
        AND (a."storageKey" IS NOT NULL OR a.name IS NOT NULL OR a.error IS DISTINCT FROM ${erasure.attachmentError})
      FOR UPDATE OF a)
    UPDATE "Attachment" SET "storageKey" = NULL, name = NULL, error = ${erasure.attachmentError}
    FROM erased WHERE "Attachment".id = erased.id
    RETURNING erased."storageKey" AS "storageKey"`;

  const complaintsCleared = await eraseComplaintTexts(tx, contactId, erasure.messageText);

  return {
    contactId,
    anonymizedAt,
    alreadyAnonymized: contact.anonymizedAt !== null,
    ticketsKept,
    ticketsClosed: closed.length,
    messagesErased,
    attachmentsErased: erasedAttachments.length,
    complaintsCleared,
    storageKeys: [...new Set(erasedAttachments.flatMap((row) => (row.storageKey ? [row.storageKey] : [])))],
  };
}

/**
 * Resolutions and stage notes are free text to or about the citizen. Their stages and times stay.
 * Returns how many complaints had text erased.
 */
async function eraseComplaintTexts(tx: Tx, contactId: string, marker: string): Promise<number> {
  const resolved = await tx.$queryRaw<{ id: string }[]>`
    UPDATE "Complaint" SET resolution = ${marker}
    WHERE resolution IS NOT NULL AND resolution <> ${marker}
      AND "ticketId" IN (SELECT id FROM "Ticket" WHERE "contactId" = ${contactId})
    RETURNING id`;
  const noted = await tx.$queryRaw<{ id: string }[]>`
    UPDATE "ComplaintEvent" SET note = ${marker}
    WHERE note IS NOT NULL AND note <> ${marker}
      AND "complaintId" IN (
        SELECT c.id FROM "Complaint" c JOIN "Ticket" t ON t.id = c."ticketId" WHERE t."contactId" = ${contactId})
    RETURNING "complaintId" AS id`;
  // Audit entries written before stage notes were left out of the audit log carry the note in `meta`.
  await tx.$executeRaw`
    UPDATE "AuditLog" SET meta = meta - 'note'
    WHERE meta ->> 'note' IS NOT NULL AND target IN (
      SELECT 'complaint:' || c.id FROM "Complaint" c JOIN "Ticket" t ON t.id = c."ticketId"
      WHERE t."contactId" = ${contactId})`;
  return new Set([...resolved, ...noted].map((row) => row.id)).size;
}
