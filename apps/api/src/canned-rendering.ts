import { cannedValuesFor, renderCannedResponse, type TicketRecord, type User } from '@loket/core';
import type { ApiDeps } from './context.ts';

/**
 * A canned response's text for one ticket and the officer sending it, with the office's current
 * names (policy) for `{{kantor}}` and `{{layanan}}`. Null when there is no such canned response.
 */
export async function renderCannedForTicket(
  deps: ApiDeps,
  cannedResponseId: string,
  ticket: TicketRecord,
  officer: User,
): Promise<string | null> {
  const canned = await deps.cannedResponses.get(cannedResponseId);
  if (!canned) return null;
  const policy = await deps.settings.getPolicy();
  return renderCannedResponse(canned.body, cannedValuesFor({ ticket, policy, officerName: officer.name }));
}
