// What the webhook tests need to make events happen: a citizen writing to an always-open office.
import {
  DEFAULT_OFFICE_POLICY,
  type EventLog,
  type InboxStore,
  mergeOfficePolicy,
  receiveMessage,
  systemClock,
} from '@loket/core';

export const ALWAYS_OPEN = mergeOfficePolicy(DEFAULT_OFFICE_POLICY, {
  serviceHours: { days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' },
});

let citizens = 0;

/** A new citizen writes: a new ticket, their message and the acknowledgement, three events. */
export async function newCitizenWrites(store: InboxStore): Promise<void> {
  citizens += 1;
  await receiveMessage({
    store,
    clock: systemClock,
    policy: ALWAYS_OPEN,
    message: {
      channel: 'telegram',
      externalMessageId: `${citizens}:1`,
      externalUserId: `${citizens}`,
      externalThreadId: `${citizens}`,
      displayName: 'Siti Aminah',
      sentAt: new Date(),
      text: 'mau buat akta kelahiran',
      attachments: [],
    },
  });
}

/** The ids of the events after `cursor`, in order. */
export async function eventIdsAfter(events: EventLog, cursor: string): Promise<string[]> {
  return (await events.after(cursor, 1000)).events.map((event) => event.id);
}
