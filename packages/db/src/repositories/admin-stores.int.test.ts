import { CHANNELS, DEFAULT_OFFICE_POLICY, mergeOfficePolicy } from '@loket/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testDatabaseKinds } from '../testing.ts';
import { createRepositories, type Repositories } from './create-repositories.ts';

describe.each(testDatabaseKinds(process.env.DATABASE_URL))(
  'users, channels, policy and audit on %s',
  (kind) => {
    let db: TestDatabase;
    let repos: Repositories;
    beforeAll(async () => {
      db = await openTestDatabase(kind, process.env.DATABASE_URL);
      repos = createRepositories(db);
    });
    afterAll(() => db?.close());
    beforeEach(() => db.reset());

    it('finds users by token hash and id, counts only active admins, and rejects a duplicate email', async () => {
      const admin = await repos.users.create({
        name: 'Admin',
        email: 'admin@x.id',
        role: 'admin',
        tokenHash: 'hash-a',
      });
      expect(admin).toEqual({
        id: expect.any(String),
        name: 'Admin',
        email: 'admin@x.id',
        role: 'admin',
        active: true,
        autoAssign: true,
        services: [],
        createdAt: expect.any(Date),
      });
      expect(await repos.users.findByTokenHash('hash-a')).toEqual(admin);
      expect(await repos.users.findById(admin.id)).toEqual(admin);
      expect(await repos.users.findByTokenHash('hash-unknown')).toBeNull();
      // The lookup every request makes reads on the driver: the same user, services as a list.
      const created = await repos.users.create({
        name: 'Petugas',
        email: 'petugas@x.id',
        role: 'officer',
        tokenHash: 'hash-officer',
      });
      const updated = await repos.users.update(created.id, { services: ['KK', 'AKTA_KELAHIRAN'] });
      const officer = updated.outcome === 'updated' ? updated.user : null;
      expect(officer?.services).toEqual(['KK', 'AKTA_KELAHIRAN']);
      expect(await repos.users.findByTokenHash('hash-officer')).toEqual(officer);
      expect(await repos.users.findByTokenHash('a\u0000b')).toBeNull();
      expect(await repos.users.findById('a\u0000b')).toBeNull();
      expect(await repos.users.countAdmins()).toBe(1);

      const second = await repos.users.create({
        name: 'Old',
        email: 'old@x.id',
        role: 'admin',
        tokenHash: 'hash-o',
      });
      await db.prisma.user.update({ where: { id: second.id }, data: { active: false } });
      expect(await repos.users.countAdmins()).toBe(1);
      await expect(
        repos.users.create({ name: 'Again', email: 'admin@x.id', role: 'officer', tokenHash: 'hash-b' }),
      ).rejects.toMatchObject({ code: 'P2002' });
    });

    it('lists all five channels, disabled until set, and keeps enabled and status apart', async () => {
      expect(await repos.channelSettings.list()).toEqual(
        CHANNELS.map((channel) => ({
          channel,
          enabled: false,
          status: 'disabled',
          detail: null,
          config: {},
          statusSince: null,
          lastError: null,
        })),
      );
      expect(await repos.channelSettings.setEnabled('telegram', true)).toMatchObject({
        channel: 'telegram',
        enabled: true,
        status: 'disabled',
        detail: null,
      });
      await repos.channelSettings.setStatus('telegram', 'connected', '@loket_bot');
      await repos.channelSettings.setStatus('whatsapp', 'needs_pairing', 'scan the QR code');
      const list = await repos.channelSettings.list();
      expect(list.map((s) => s.channel)).toEqual([...CHANNELS]);
      expect(list.find((s) => s.channel === 'telegram')).toMatchObject({
        channel: 'telegram',
        enabled: true,
        status: 'connected',
        detail: '@loket_bot',
        statusSince: expect.any(Date),
        lastError: null,
      });
      expect(list.find((s) => s.channel === 'whatsapp')).toMatchObject({
        enabled: false,
        status: 'needs_pairing',
      });
      expect((await repos.channelSettings.setEnabled('telegram', false)).status).toBe('connected');
    });

    it('returns the default policy until one is saved, then the saved one', async () => {
      expect(await repos.settings.getPolicy()).toEqual(DEFAULT_OFFICE_POLICY);
      const changed = mergeOfficePolicy(DEFAULT_OFFICE_POLICY, {
        sla: { firstResponse: 'PT2S' },
        holidays: ['2026-03-20'],
      });
      expect(await repos.settings.savePolicy(changed)).toEqual(changed);
      expect(await repos.settings.getPolicy()).toEqual(changed);
      expect((await repos.settings.getPolicy()).sla).toEqual({
        firstResponse: 'PT2S',
        warnAt: 0.8,
        clockStarts: 'next_opening',
      });
    });

    it('reads a policy saved by an older version with today’s defaults filled in', async () => {
      await db.prisma.officeSetting.create({
        data: { id: 'office', policy: { officeName: 'Disdukcapil Kota Bogor' } },
      });
      expect(await repos.settings.getPolicy()).toEqual({
        ...DEFAULT_OFFICE_POLICY,
        officeName: 'Disdukcapil Kota Bogor',
      });
    });

    it('lists audit entries newest first, page by page', async () => {
      for (let i = 1; i <= 5; i += 1) {
        await repos.audit.record({
          actorId: 'u1',
          action: `ticket.update`,
          target: `ticket:${i}`,
          meta: { i },
        });
        await new Promise((resolve) => setTimeout(resolve, 2)); // distinct timestamps
      }
      await repos.audit.record({ actorId: null, action: 'system.start', target: 'loket' });
      const first = await repos.audit.list({ limit: 4 });
      expect(first.items.map((e) => e.target)).toEqual(['loket', 'ticket:5', 'ticket:4', 'ticket:3']);
      expect(first.items[0]).toEqual({
        id: expect.any(String),
        actorId: null,
        action: 'system.start',
        target: 'loket',
        at: expect.any(Date),
        meta: null,
      });
      const second = await repos.audit.list({ limit: 4, cursor: first.nextCursor ?? undefined });
      expect(second.items.map((e) => e.target)).toEqual(['ticket:2', 'ticket:1']);
      expect(second.nextCursor).toBeNull();
      expect((await db.prisma.auditLog.findFirstOrThrow({ where: { target: 'ticket:3' } })).meta).toEqual({
        i: 3,
      });
    });
  },
);
