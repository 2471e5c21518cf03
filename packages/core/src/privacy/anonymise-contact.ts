import type { Logger } from '../logger.ts';
import type { Clock, FileStore } from '../ports.ts';
import type { AuditLog } from '../queries.ts';
import { deleteOrphanedFiles } from './delete-orphaned-files.ts';
import type { AnonymisationResult, AttachmentRecords, ContactRecords, ErasureTexts } from './ports.ts';

/** What replaces a citizen's data: neutral words staff recognise, and nothing that points back. */
export const ERASURE_TEXTS: ErasureTexts = {
  displayName: 'Warga (dihapus)',
  messageText: '[dihapus]',
  threadId: '(dihapus)',
  attachmentError: "erased: the citizen's personal data was anonymised (UU PDP)",
  deliveryError: "not sent: the citizen's personal data was anonymised (UU PDP)",
};

export type AnonymisationOutcome = Omit<AnonymisationResult, 'storageKeys'> & { filesDeleted: number };

/**
 * An admin erases a citizen's personal data (UU PDP: the right to erasure). The database part runs in
 * one transaction; the files go after the commit, each once no other attachment references it. The
 * tickets stay, so the office's statistics (volumes, SLA, complaints) do not change. Safe to run again:
 * a second call erases whatever came in since and reports `alreadyAnonymized`. Null when the contact
 * does not exist.
 */
export async function anonymiseContact(options: {
  contacts: ContactRecords;
  attachments: AttachmentRecords;
  files: FileStore | undefined;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  contactId: string;
  actorId: string;
}): Promise<AnonymisationOutcome | null> {
  const { contacts, audit, contactId, actorId } = options;
  const result = await contacts.anonymise(contactId, { at: options.clock.now(), erasure: ERASURE_TEXTS });
  if (!result) return null;
  const { storageKeys, ...counts } = result;
  const filesDeleted = await deleteOrphanedFiles({
    attachments: options.attachments,
    files: options.files,
    keys: storageKeys,
    logger: options.logger,
  });
  const outcome = { ...counts, filesDeleted };
  await audit.record({
    actorId,
    action: 'contact.anonymise',
    target: `contact:${contactId}`,
    // Counts only: the audit log must not keep what was just erased.
    meta: {
      alreadyAnonymized: outcome.alreadyAnonymized,
      ticketsKept: outcome.ticketsKept,
      ticketsClosed: outcome.ticketsClosed,
      messagesErased: outcome.messagesErased,
      attachmentsErased: outcome.attachmentsErased,
      complaintsCleared: outcome.complaintsCleared,
      filesDeleted,
    },
  });
  return outcome;
}
