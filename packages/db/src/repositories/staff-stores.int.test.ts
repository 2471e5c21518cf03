import { DEFAULT_OFFICE_POLICY, mergeOfficePolicy, receiveMessage } from '@loket/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testDatabaseKinds } from '../testing.ts';
import { createRepositories, type Repositories } from './create-repositories.ts';
import { citizenMessage, fixedClock } from './test-fixtures.ts';

const roundRobin = mergeOfficePolicy(DEFAULT_OFFICE_POLICY, { assignment: { mode: 'round_robin' } });

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('staff stores on %s', (kind) => {
  let db: TestDatabase;
  let repos: Repositories;
  beforeAll(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
    repos = createRepositories(db);
  });
  beforeEach(() => db.reset());
  afterAll(() => db?.close());

  let userCount = 0;
  const addUser = (role: 'officer' | 'supervisor' | 'admin', name = `${role} ${++userCount}`) =>
    repos.users.create({ name, email: `${++userCount}@x.id`, role, tokenHash: `hash-${userCount}` });

  let messageCount = 0;
  async function newTicket(text: string) {
    messageCount += 1;
    const result = await receiveMessage({
      store: repos.inbox,
      clock: fixedClock(),
      policy: roundRobin,
      message: citizenMessage({
        externalMessageId: `rr-${messageCount}`,
        externalUserId: `rr-${messageCount}`,
        externalThreadId: `rr-${messageCount}`,
        text,
      }),
    });
    if (result.outcome !== 'stored') throw new Error('expected stored');
    return result.ticket;
  }

  describe('round-robin assignment', () => {
    it('takes turns by id among eligible officers, per service, and audits each assignment', async () => {
      const officers = await Promise.all([addUser('officer'), addUser('officer'), addUser('officer')]);
      const [first, second, third] = officers.map((o) => o.id).sort();
      await repos.users.update(third!, { services: ['KK'] });
      const disabled = await addUser('officer');
      await repos.users.update(disabled.id, { active: false });
      const optedOut = await addUser('officer');
      await repos.users.update(optedOut.id, { autoAssign: false });
      await addUser('supervisor');

      const akta = [];
      for (let i = 0; i < 3; i += 1) akta.push((await newTicket('akta kelahiran')).assigneeId);
      expect(akta).toEqual([first, second, first]);
      expect((await newTicket('kartu keluarga')).assigneeId).toBe(first);
      expect((await newTicket('kartu keluarga')).assigneeId).toBe(second);
      expect((await newTicket('kartu keluarga')).assigneeId).toBe(third);
      const cursors = await db.prisma.assignmentCursor.findMany({ orderBy: { service: 'asc' } });
      expect(cursors.map((c) => [c.service, c.lastUserId])).toEqual([
        ['AKTA_KELAHIRAN', first],
        ['KK', third],
      ]);
      const audit = await db.prisma.auditLog.findMany({ where: { action: 'ticket.assign' } });
      expect(audit).toHaveLength(6);
      expect(audit[0]).toMatchObject({ actorId: null, meta: expect.objectContaining({ by: 'round_robin' }) });
    });

    it('leaves a ticket unassigned when no officer is eligible', async () => {
      await addUser('supervisor');
      expect((await newTicket('akta kelahiran')).assigneeId).toBeNull();
      expect(await db.prisma.auditLog.count({ where: { action: 'ticket.assign' } })).toBe(0);
    });

    it('never gives two concurrent transactions the same turn', async () => {
      const officers = await Promise.all([addUser('officer'), addUser('officer'), addUser('officer')]);
      const even = Object.fromEntries(officers.map((o) => [o.id, 4]));
      const tally = (ids: (string | null)[]) => {
        const counts: Record<string, number> = {};
        for (const id of ids) counts[String(id)] = (counts[String(id)] ?? 0) + 1;
        return counts;
      };
      // The port on its own (receiveMessage also serialises on the ticket counter), a new service's
      // first turns included, then whole new tickets.
      const turns = await Promise.all(
        Array.from({ length: 12 }, () =>
          repos.inbox.transaction(async (tx) => {
            const id = await tx.takeAssignmentTurn('KIA');
            // Hold the turn a moment, as a real transaction does while it stores the ticket.
            await new Promise((resolve) => setTimeout(resolve, 5));
            return id;
          }),
        ),
      );
      expect(tally(turns)).toEqual(even);
      const tickets = await Promise.all(Array.from({ length: 12 }, () => newTicket('akta kelahiran')));
      expect(tally(tickets.map((t) => t.assigneeId))).toEqual(even);
    });
  });

  describe('users', () => {
    it('lists by name with filters, and changes fields', async () => {
      const ani = await addUser('officer', 'Ani');
      await addUser('admin', 'Zaki');
      const budi = await addUser('supervisor', 'Budi');
      await repos.users.update(budi.id, { active: false });
      expect((await repos.users.list({})).map((u) => u.name)).toEqual(['Ani', 'Budi', 'Zaki']);
      expect((await repos.users.list({ active: true })).map((u) => u.name)).toEqual(['Ani', 'Zaki']);
      expect((await repos.users.list({ role: 'supervisor' })).map((u) => u.name)).toEqual(['Budi']);
      const result = await repos.users.update(ani.id, {
        name: 'Ani S.',
        role: 'supervisor',
        autoAssign: false,
        services: ['KK', 'KIA'],
      });
      expect(result).toMatchObject({
        outcome: 'updated',
        before: { name: 'Ani', role: 'officer', autoAssign: true, services: [] },
        user: { name: 'Ani S.', role: 'supervisor', autoAssign: false, services: ['KK', 'KIA'] },
      });
      expect(await repos.users.update('nobody', { active: false })).toEqual({ outcome: 'not_found' });
    });

    it('refuses to disable or demote the last active admin, and lets the second to last go', async () => {
      const [a, b] = await Promise.all([addUser('admin'), addUser('admin')]);
      expect((await repos.users.update(a.id, { role: 'officer' })).outcome).toBe('updated');
      expect(await repos.users.update(b.id, { active: false })).toEqual({ outcome: 'last_admin' });
      expect(await repos.users.update(b.id, { role: 'supervisor' })).toEqual({ outcome: 'last_admin' });
      expect(await repos.users.findById(b.id)).toMatchObject({ role: 'admin', active: true });
      // Renaming the last admin is fine.
      expect((await repos.users.update(b.id, { name: 'Kepala' })).outcome).toBe('updated');
    });

    it('lets only one of two admins disabling each other at once succeed', async () => {
      const [a, b] = await Promise.all([addUser('admin'), addUser('admin')]);
      const results = await Promise.all([
        repos.users.update(a.id, { active: false }),
        repos.users.update(b.id, { active: false }),
      ]);
      expect(results.map((r) => r.outcome).sort()).toEqual(['last_admin', 'updated']);
      expect(await repos.users.countAdmins()).toBe(1);
    });

    it('replaces a token hash so the old one finds nobody', async () => {
      const user = await addUser('officer');
      const oldHash = `hash-${userCount}`;
      expect(await repos.users.findByTokenHash(oldHash)).not.toBeNull();
      expect((await repos.users.replaceToken(user.id, 'new-hash'))?.id).toBe(user.id);
      expect(await repos.users.findByTokenHash(oldHash)).toBeNull();
      expect((await repos.users.findByTokenHash('new-hash'))?.id).toBe(user.id);
      expect(await repos.users.replaceToken('nobody', 'x')).toBeNull();
    });
  });

  describe('canned responses', () => {
    it('saves, finds by words with wildcards taken literally, and reports a taken shortcut', async () => {
      const saved = await repos.cannedResponses.create({
        shortcut: 'syarat-kk',
        title: 'Syarat KK',
        body: 'Halo {{nama}}, siapkan 100% berkas.',
        createdById: null,
      });
      if (saved.outcome !== 'saved') throw new Error('expected saved');
      await repos.cannedResponses.create({
        shortcut: 'salam',
        title: 'Salam',
        body: 'Halo',
        createdById: null,
      });
      const shortcuts = async (q?: string) =>
        (await repos.cannedResponses.list(q ? { q } : {})).map((c) => c.shortcut);
      expect(await shortcuts()).toEqual(['salam', 'syarat-kk']);
      expect(await shortcuts('HALO')).toEqual(['salam', 'syarat-kk']);
      expect(await shortcuts('%')).toEqual(['syarat-kk']);
      expect(await shortcuts('_')).toEqual([]);
      expect(
        await repos.cannedResponses.create({ shortcut: 'salam', title: 'x', body: 'y', createdById: null }),
      ).toEqual({ outcome: 'shortcut_taken' });
      expect(await repos.cannedResponses.update(saved.cannedResponse.id, { shortcut: 'salam' })).toEqual({
        outcome: 'shortcut_taken',
      });
      expect(await repos.cannedResponses.update('nope', { title: 'x' })).toEqual({ outcome: 'not_found' });
      expect(await repos.cannedResponses.delete(saved.cannedResponse.id)).toBe(true);
      expect(await repos.cannedResponses.delete(saved.cannedResponse.id)).toBe(false);
      expect(await repos.cannedResponses.get(saved.cannedResponse.id)).toBeNull();
    });
  });
});
