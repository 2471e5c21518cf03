// @loket/db: the Prisma schema's client, migrations, and the repositories that implement core's ports.
export { type Database, type OpenDatabaseOptions, openDatabase, openMigratedDatabase } from './client.ts';
export { type DatabaseKind, type DatabaseTarget, pgliteDirectory } from './database-target.ts';
export type { PrismaClient } from './generated/prisma/client.ts';
export {
  type JobConnection,
  type JobRunner,
  type PeriodicJob,
  startJobRunner,
} from './jobs/job-runner.ts';
export { RETENTION_SWEEP_QUEUE, SLA_SWEEP_QUEUE } from './jobs/pg-boss-sql.ts';
export {
  type CreatedMigration,
  createMigration,
  type DeployResult,
  diffSchemaAgainstMigrations,
  type EngineOptions,
  type MigrateOptions,
  type MigrationStatus,
  type MigrationTarget,
  migrateDeploy,
  migrationStatus,
  type SchemaDiff,
} from './migrate/migrate.ts';
export {
  DEFAULT_MIGRATIONS_DIR,
  DEFAULT_SCHEMA_PATH,
  type MigrationSources,
} from './migrate/migration-files.ts';
export { DELIVERY_CHANNEL, type Listen, type Unlisten } from './notifications.ts';
export { createAuditLog } from './repositories/audit-log.ts';
export { createChannelSessionStore } from './repositories/channel-session-store.ts';
export { createChannelSettingsStore } from './repositories/channel-settings-store.ts';
export { createComplaintQueries } from './repositories/complaint-queries.ts';
export { createRepositories, type Repositories } from './repositories/create-repositories.ts';
export { isDatabaseUnavailable } from './repositories/database-unavailable.ts';
export { createDeliveryQueue } from './repositories/delivery-queue.ts';
export { createInboxStore } from './repositories/inbox-store.ts';
export { createReportQueries } from './repositories/report-queries.ts';
export { createSettingsStore } from './repositories/settings-store.ts';
export { createTicketQueries } from './repositories/ticket-queries.ts';
export { isRetryableConflict } from './repositories/transaction-retry.ts';
export { createUserStore } from './repositories/user-store.ts';
export {
  createPostgresTestDatabase,
  dropPostgresTestDatabase,
} from './test-databases/postgres-test-database.ts';
export { openTestDatabase, type TestDatabase, testDatabaseKinds } from './testing.ts';
