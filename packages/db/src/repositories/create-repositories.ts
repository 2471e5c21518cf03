import type {
  AuditLog,
  ChannelSessionStore,
  ChannelSettingsStore,
  ComplaintQueries,
  DeliveryQueue,
  InboxStore,
  SettingsStore,
  TicketQueries,
  UserStore,
} from '@loket/core';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { createAuditLog } from './audit-log.ts';
import { createChannelSessionStore } from './channel-session-store.ts';
import { createChannelSettingsStore } from './channel-settings-store.ts';
import { createComplaintQueries } from './complaint-queries.ts';
import { createDeliveryQueue } from './delivery-queue.ts';
import { createInboxStore } from './inbox-store.ts';
import { createSettingsStore } from './settings-store.ts';
import { createTicketQueries } from './ticket-queries.ts';
import { createUserStore } from './user-store.ts';

export type Repositories = {
  inbox: InboxStore;
  deliveryQueue: DeliveryQueue;
  tickets: TicketQueries;
  complaints: ComplaintQueries;
  users: UserStore;
  channelSettings: ChannelSettingsStore;
  channelSessions: ChannelSessionStore;
  settings: SettingsStore;
  audit: AuditLog;
};

/** Every port core needs, over one Prisma client. Build once at boot and pass around. */
export function createRepositories(prisma: PrismaClient): Repositories {
  return {
    inbox: createInboxStore(prisma),
    deliveryQueue: createDeliveryQueue(prisma),
    tickets: createTicketQueries(prisma),
    complaints: createComplaintQueries(prisma),
    users: createUserStore(prisma),
    channelSettings: createChannelSettingsStore(prisma),
    channelSessions: createChannelSessionStore(prisma),
    settings: createSettingsStore(prisma),
    audit: createAuditLog(prisma),
  };
}
