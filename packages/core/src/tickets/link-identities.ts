import type { ChannelName } from '../channel/types.ts';
import type { InboxStore } from '../ports.ts';

/**
 * A platform told us two ids are one citizen (WhatsApp's `lid-mapping.update`: a LID and a phone
 * JID). Their contacts become one, so the officer sees one history and replies reach the same person.
 */
export async function linkIdentities(options: {
  store: InboxStore;
  channel: ChannelName;
  externalUserIds: string[];
}): Promise<void> {
  const ids = [...new Set(options.externalUserIds.filter((id) => id.length > 0))];
  if (ids.length < 2) return;
  await options.store.transaction((tx) => tx.linkIdentities(options.channel, ids));
}
