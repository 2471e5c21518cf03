import { detectIntent } from '../classification/detect-intent.ts';
import type { OfficePolicy } from '../policy/office-policy.ts';
import type { Clock, InboxStore } from '../ports.ts';
import {
  type InboundBatchStore,
  identityKey,
  messageKey,
  supportsInboundBatches,
} from './inbound-batch-types.ts';
import { countTicketsToOpen, planInboundBatch } from './plan-inbound-batch.ts';
import { type ReceivedMessage, type ReceiveResult, receiveMessage, withoutNul } from './receive-message.ts';
import { yearIn } from './ticket-view.ts';

/**
 * Stores many citizen messages in one transaction, with the same outcome, message by message in
 * arrival order, as `receiveMessage` run on each in turn. Only for messages `routeInboundMessages`
 * sends to the batch: no aliases, no ADUAN, no round-robin assignment. All or nothing: if it throws,
 * none of them is stored.
 */
export async function receiveMessageBatch(options: {
  store: InboundBatchStore;
  clock: Clock;
  policy: OfficePolicy;
  messages: ReceivedMessage[];
  newId?: () => string;
}): Promise<ReceiveResult[]> {
  const { policy } = options;
  const newId = options.newId ?? (() => globalThis.crypto.randomUUID());
  const messages = options.messages.map(withoutNul);
  return options.store.inboundBatch(async (tx) => {
    const stored = await tx.findMessagesByExternalIds(
      messages.map((m) => ({ channel: m.channel, externalId: m.externalMessageId })),
    );
    const fresh = messages.filter((m) => !stored.has(messageKey(m.channel, m.externalMessageId)));
    const contacts = await tx.lockContactsByIdentity(
      fresh.map((m) => ({ channel: m.channel, externalUserId: m.externalUserId })),
    );
    const activeTickets = await tx.findActiveTickets([...new Set([...contacts.values()].map((c) => c.id))]);
    const snapshot = { stored, contacts, activeTickets };
    const now = options.clock.now();
    const year = yearIn(policy.timezone, now);
    const opening = countTicketsToOpen(messages, snapshot);
    const firstSequence = opening ? await tx.reserveTicketSequences(year, opening) : 1;
    const { writes, results } = planInboundBatch({
      policy,
      messages,
      snapshot,
      now,
      year,
      firstSequence,
      newId,
    });
    await tx.writeInboundBatch(writes);
    return results;
  });
}

/**
 * Which messages can go in a batch, and which take `receiveMessage` one by one: ADUAN (complaints
 * read and write through the store), a sender with alias ids (contacts may merge), round-robin
 * assignment (an officer's turn per new ticket). Every message of a sender who has one of those in
 * this lot goes one by one too, so a citizen's messages are still applied in arrival order.
 */
export function routeInboundMessages(
  messages: ReceivedMessage[],
  policy: OfficePolicy,
): { batched: number[]; single: number[] } {
  if (policy.assignment.mode === 'round_robin') return { batched: [], single: messages.map((_, i) => i) };
  const idsOf = (m: ReceivedMessage) =>
    [m.externalUserId, ...(m.aliasUserIds ?? [])].map((id) => identityKey(m.channel, id));
  const complex = new Set<string>();
  for (const m of messages) {
    if (m.aliasUserIds?.length || detectIntent(m.text) === 'complaint')
      for (const id of idsOf(m)) complex.add(id);
  }
  const batched: number[] = [];
  const single: number[] = [];
  messages.forEach((m, i) => {
    (idsOf(m).some((id) => complex.has(id)) ? single : batched).push(i);
  });
  return { batched, single };
}

export type InboundOutcome = { ok: true; result: ReceiveResult } | { ok: false; error: unknown };

/**
 * What the gateway calls with the messages that arrived while the previous commit was in flight:
 * the batchable ones in one transaction, the rest one by one after it. If the batch fails, each of
 * its messages is stored on its own, so one poisoned message cannot fail the others; a message that
 * fails on its own too gets its error back. Outcomes are in the order of `messages`.
 */
export async function storeInboundMessages(options: {
  store: InboxStore;
  clock: Clock;
  policy: OfficePolicy;
  messages: ReceivedMessage[];
  newId?: () => string;
  onBatchFailed?: (error: unknown, size: number) => void;
}): Promise<InboundOutcome[]> {
  const { store, clock, policy, messages } = options;
  const outcomes: InboundOutcome[] = new Array(messages.length);
  const route = supportsInboundBatches(store)
    ? routeInboundMessages(messages, policy)
    : { batched: [], single: messages.map((_, i) => i) };
  const one = async (index: number) => {
    try {
      const result = await receiveMessage({
        store,
        clock,
        policy,
        message: messages[index] as ReceivedMessage,
      });
      outcomes[index] = { ok: true, result };
    } catch (error) {
      outcomes[index] = { ok: false, error };
    }
  };

  let pending = route.single;
  if (route.batched.length && supportsInboundBatches(store)) {
    try {
      const results = await receiveMessageBatch({
        store,
        clock,
        policy,
        messages: route.batched.map((i) => messages[i] as ReceivedMessage),
        newId: options.newId,
      });
      route.batched.forEach((index, k) => {
        outcomes[index] = { ok: true, result: results[k] as ReceiveResult };
      });
    } catch (error) {
      options.onBatchFailed?.(error, route.batched.length);
      pending = [...route.batched, ...route.single].sort((a, b) => a - b);
    }
  }
  for (const index of pending) await one(index);
  return outcomes;
}
