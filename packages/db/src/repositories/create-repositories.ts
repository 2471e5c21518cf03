import type {
  AttachmentRecords,
  AuditLog,
  CannedResponseStore,
  ChannelLeases,
  ChannelSessionStore,
  ChannelSettingsStore,
  ComplaintQueries,
  ContactRecords,
  DeliveryQueue,
  EventLog,
  InboxStore,
  ReportQueries,
  SettingsStore,
  TicketQueries,
  UserStore,
  WebhookEndpointStore,
} from '@loket/core';
import type { Database } from '../client.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { prismaReader } from '../sql-reader.ts';
import { createAttachmentRecords } from './attachment-records.ts';
import { createAuditLog } from './audit-log.ts';
import { createCannedResponseStore } from './canned-response-store.ts';
import { createChannelLeases } from './channel-leases.ts';
import { createChannelSessionStore } from './channel-session-store.ts';
import { createChannelSettingsStore } from './channel-settings-store.ts';
import { createComplaintQueries } from './complaint-queries.ts';
import { createContactRecords } from './contact-records.ts';
import { createDeliveryQueue } from './delivery-queue.ts';
import { createEventLog } from './event-log.ts';
import { createInboxStore } from './inbox-store.ts';
import { createReportQueries } from './report-queries.ts';
import { createSettingsStore } from './settings-store.ts';
import { createTicketQueries } from './ticket-queries.ts';
import { createUserStore } from './user-store.ts';
import { createWebhookEndpointStore } from './webhook-endpoints.ts';

export type Repositories = {
  inbox: InboxStore;
  deliveryQueue: DeliveryQueue;
  tickets: TicketQueries;
  complaints: ComplaintQueries;
  users: UserStore;
  channelSettings: ChannelSettingsStore;
  channelSessions: ChannelSessionStore;
  channelLeases: ChannelLeases;
  settings: SettingsStore;
  audit: AuditLog;
  attachments: AttachmentRecords;
  contacts: ContactRecords;
  cannedResponses: CannedResponseStore;
  events: EventLog;
  webhookEndpoints: WebhookEndpointStore;
  reports: ReportQueries;
};

/**
 * Every port core needs, over one database. Build once at boot and pass around. Given only a Prisma
 * client, the hot reads go through Prisma too instead of the driver.
 */
export function createRepositories(source: Pick<Database, 'prisma' | 'reader'> | PrismaClient): Repositories {
  const { prisma, reader } = 'reader' in source ? source : { prisma: source, reader: prismaReader(source) };
  return {
    inbox: createInboxStore(prisma),
    deliveryQueue: createDeliveryQueue(prisma),
    tickets: createTicketQueries(prisma, reader),
    complaints: createComplaintQueries(prisma),
    users: createUserStore(prisma, reader),
    channelSettings: createChannelSettingsStore(prisma),
    channelSessions: createChannelSessionStore(prisma),
    channelLeases: createChannelLeases(prisma),
    settings: createSettingsStore(prisma),
    audit: createAuditLog(prisma),
    attachments: createAttachmentRecords(prisma),
    contacts: createContactRecords(prisma),
    cannedResponses: createCannedResponseStore(prisma),
    events: createEventLog(prisma),
    webhookEndpoints: createWebhookEndpointStore(prisma),
    reports: createReportQueries(prisma),
  };
}
