import { linkIdentities } from '@loket/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testDatabaseKinds } from '../testing.ts';
import { createRepositories, type Repositories } from './create-repositories.ts';
import { citizenMessage, receive } from './test-fixtures.ts';

const LID = '201234567890123@lid';
const PN = '6281234567890@s.whatsapp.net';

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('contact identities on %s', (kind) => {
  let db: TestDatabase;
  let repos: Repositories;
  beforeAll(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
    repos = createRepositories(db);
  });
  afterAll(() => db?.close());
  beforeEach(() => db.reset());

  const whatsapp = (id: string, externalUserId: string, aliasUserIds?: string[]) =>
    citizenMessage({
      channel: 'whatsapp',
      externalMessageId: id,
      externalUserId,
      externalThreadId: externalUserId,
      ...(aliasUserIds ? { aliasUserIds } : {}),
    });
  const identitiesOf = async () =>
    db.prisma.contactIdentity.findMany({
      orderBy: { externalUserId: 'asc' },
      select: { contactId: true, externalUserId: true },
    });

  it('stores a LID and its phone JID as one contact', async () => {
    await receive(repos.inbox, whatsapp('m1', LID, [PN]));
    const identities = await identitiesOf();
    expect(identities.map((i) => i.externalUserId)).toEqual([LID, PN]);
    expect(new Set(identities.map((i) => i.contactId)).size).toBe(1);
  });

  it('finds the contact a citizen had by phone when they later write from their LID', async () => {
    await receive(repos.inbox, whatsapp('m1', PN));
    await receive(repos.inbox, whatsapp('m2', LID, [PN]));
    expect(await db.prisma.contact.count()).toBe(1);
    expect((await identitiesOf()).map((i) => i.externalUserId)).toEqual([LID, PN]);
  });

  it('merges two contacts, with their tickets, when the platform links their ids', async () => {
    await receive(repos.inbox, whatsapp('m1', PN));
    await receive(repos.inbox, whatsapp('m2', LID));
    expect(await db.prisma.contact.count()).toBe(2);
    await linkIdentities({ store: repos.inbox, channel: 'whatsapp', externalUserIds: [LID, PN] });
    expect(await db.prisma.contact.count()).toBe(1);
    const [contact] = await db.prisma.contact.findMany({ include: { tickets: true, identities: true } });
    expect(contact?.identities).toHaveLength(2);
    expect(contact?.tickets).toHaveLength(2);
    // Linking again, or linking one id, changes nothing.
    await linkIdentities({ store: repos.inbox, channel: 'whatsapp', externalUserIds: [PN, LID] });
    await linkIdentities({ store: repos.inbox, channel: 'whatsapp', externalUserIds: [LID] });
    expect(await db.prisma.contact.count()).toBe(1);
  });

  it('adds the LID to a known contact when only the mapping arrives', async () => {
    await receive(repos.inbox, whatsapp('m1', PN));
    await linkIdentities({ store: repos.inbox, channel: 'whatsapp', externalUserIds: [LID, PN] });
    expect((await identitiesOf()).map((i) => i.externalUserId)).toEqual([LID, PN]);
    expect(await db.prisma.contact.count()).toBe(1);
  });
});
