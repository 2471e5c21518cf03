import { type OfficePolicy, readStoredPolicy, type SettingsStore } from '@loket/core';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

/** The office has one policy row; without it the defaults (Disdukcapil Kota Depok's) apply. */
const POLICY_ID = 'office';

export function createSettingsStore(prisma: PrismaClient): SettingsStore {
  return {
    async getPolicy() {
      const row = await prisma.officeSetting.findUnique({ where: { id: POLICY_ID } });
      // Read leniently: a policy saved by an older version gets today's defaults for new fields.
      return readStoredPolicy(row?.policy ?? null);
    },
    async savePolicy(policy: OfficePolicy) {
      const json = policy as unknown as Prisma.InputJsonObject;
      const row = await prisma.officeSetting.upsert({
        where: { id: POLICY_ID },
        create: { id: POLICY_ID, policy: json },
        update: { policy: json },
      });
      return readStoredPolicy(row.policy);
    },
  };
}
