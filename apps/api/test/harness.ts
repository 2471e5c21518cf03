// Builds the real API over a real test database (PGlite, and PostgreSQL when DATABASE_URL is set).
import { createHash } from 'node:crypto';
import {
  type ChannelControl,
  type ChannelName,
  complaintContextFor,
  DEFAULT_OFFICE_POLICY,
  type FileStore,
  type InboundMessage,
  mergeOfficePolicy,
  receiveMessage,
  replyWindowsFor,
  StoredChannelControl,
  silentLogger,
  systemClock,
  type UserRole,
} from '@loket/core';
import { createRepositories, openTestDatabase, type TestDatabase } from '@loket/db';
import { createApi, type LoketApp } from '../src/app.ts';
import type { ApiDeps } from '../src/context.ts';
import { generateToken, hashToken } from '../src/tokens.ts';
import { TEST_ENV } from './test-env.ts';

// Test bodies are checked field by field with expect(); typing every response shape would repeat the schemas.
// biome-ignore lint/suspicious/noExplicitAny: see above
type JsonBody = any;
export type JsonResponse = Omit<Response, 'json'> & { json(): Promise<JsonBody> };

export type Harness = {
  app: LoketApp;
  repos: ReturnType<typeof createRepositories>;
  tokens: Record<UserRole, string>;
  userIds: Record<UserRole, string>;
  request(
    method: string,
    path: string,
    options?: { token?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<JsonResponse>;
  receive(overrides?: Partial<InboundMessage>): Promise<{ ticketId: string; messageId: string }>;
  close(): Promise<void>;
};

/**
 * Channel control as an API process without channels has it (through the database), with a stand-in
 * gateway that reports `connected` at once: configured channels are the ones listed.
 */
function channelControl(repos: Harness['repos'], configured: ChannelName[]): ChannelControl {
  const stored = new StoredChannelControl({
    settings: repos.channelSettings,
    configured: (channel) => configured.includes(channel),
    clock: systemClock,
  });
  return {
    list: () => stored.list(),
    configure: (channel, config) => stored.configure(channel, config),
    isEnabled: (channel) => stored.isEnabled(channel),
    async setEnabled(channel, enabled) {
      await stored.setEnabled(channel, enabled);
      await repos.channelSettings.setStatus(channel, enabled ? 'connected' : 'disabled', null);
      const found = (await stored.list()).find((v) => v.channel === channel);
      if (!found) throw new Error('unknown channel');
      return found;
    },
  };
}

export async function createHarness(
  kind: 'pglite' | 'postgres',
  overrides: Partial<ApiDeps> = {},
): Promise<Harness> {
  const db: TestDatabase = await openTestDatabase(kind, TEST_ENV.DATABASE_URL);
  const repos = createRepositories(db);
  // Replies are refused on a channel that is off; the tickets tests make live on these two.
  for (const channel of ['telegram', 'whatsapp-cloud'] as const)
    await repos.channelSettings.setEnabled(channel, true);
  const tokens = {} as Record<UserRole, string>;
  const userIds = {} as Record<UserRole, string>;
  for (const role of ['officer', 'supervisor', 'admin'] as const) {
    tokens[role] = generateToken();
    const user = await repos.users.create({
      name: `Test ${role}`,
      email: `${role}@test.local`,
      role,
      tokenHash: hashToken(tokens[role]),
    });
    userIds[role] = user.id;
  }
  const clock = { now: () => new Date() };
  const app = createApi({
    store: repos.inbox,
    tickets: repos.tickets,
    complaints: repos.complaints,
    complaintContext: async () => complaintContextFor(await repos.settings.getPolicy(), clock.now()),
    users: repos.users,
    settings: repos.settings,
    audit: repos.audit,
    reports: repos.reports,
    attachments: repos.attachments,
    contacts: repos.contacts,
    cannedResponses: repos.cannedResponses,
    channels: channelControl(repos, ['telegram']),
    files: memoryFiles(),
    events: repos.events,
    webhookEndpoints: repos.webhookEndpoints,
    replyWindows: replyWindowsFor({ instagramHumanAgentTag: false }),
    clock,
    logger: silentLogger,
    ...overrides,
  });
  let sequence = 0;
  return {
    app,
    repos,
    tokens,
    userIds,
    request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      const token = options.token === undefined ? tokens.officer : options.token;
      if (token) headers.authorization = `Bearer ${token}`;
      let body: string | undefined;
      if (options.raw !== undefined) body = options.raw;
      else if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      return Promise.resolve(app.request(path, { method, headers, body })) as Promise<JsonResponse>;
    },
    async receive(overrides = {}) {
      sequence += 1;
      const result = await receiveMessage({
        store: repos.inbox,
        clock,
        // Open around the clock, so a test run at any hour sees the same acknowledgement and deadline.
        policy: mergeOfficePolicy(DEFAULT_OFFICE_POLICY, {
          serviceHours: { days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' },
        }),
        message: {
          channel: 'telegram',
          externalMessageId: `9000:${sequence}`,
          externalUserId: '9000',
          externalThreadId: '9000',
          displayName: 'Budi Santoso',
          sentAt: new Date(),
          text: 'mau tanya syarat akta kelahiran',
          ...overrides,
          attachments: [],
        },
      });
      if (result.outcome !== 'stored') throw new Error('expected a stored message');
      return { ticketId: result.ticket.id, messageId: result.message.id };
    },
    close: () => db.close(),
  };
}

/** Officers' files in memory, keyed like the gateway's media store (by content hash). */
export function memoryFiles(): FileStore {
  const kept = new Map<string, Uint8Array>();
  const writtenAt = new Map<string, number>();
  return {
    async put(bytes) {
      const key = createHash('sha256').update(bytes).digest('hex');
      kept.set(key, bytes);
      writtenAt.set(key, Date.now());
      return key;
    },
    get: async (key) => kept.get(key) ?? null,
    delete: async (key) => {
      kept.delete(key);
      writtenAt.delete(key);
    },
    async *listKeys({ modifiedBefore }) {
      for (const [key, at] of writtenAt) if (at < modifiedBefore.getTime()) yield key;
    },
    // Writes here are atomic: nothing is ever left half done.
    deleteAbandonedWrites: async () => 0,
  };
}

export function databaseKinds(): ('pglite' | 'postgres')[] {
  return TEST_ENV.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}
