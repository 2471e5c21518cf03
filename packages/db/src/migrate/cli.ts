// tsx src/migrate/cli.ts deploy | status | diff | dev <name>
// deploy and status use DATABASE_URL, else DATA_DIR (default ./data). dev uses DATABASE_URL or DATA_DIR
// when set, else a throwaway in-memory PGlite. diff always replays the migrations on a throwaway PGlite
// and exits 2 when the schema has changes no migration holds (CI runs it).
import { cliTarget, readMigrateCliEnv } from './env.ts';
import { createMigration, diffSchemaAgainstMigrations, migrateDeploy, migrationStatus } from './migrate.ts';

const USAGE = 'usage: cli.ts deploy | status | diff | dev <name>';

async function run(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const env = readMigrateCliEnv();
  const started = performance.now();
  const took = () => `${Math.round(performance.now() - started)} ms`;

  if (command === 'deploy' || command === 'status') {
    const target = cliTarget(env, './data');
    if (!target) throw new Error('no database target');
    if (command === 'deploy') {
      const result = await migrateDeploy({ target });
      console.log(
        result.applied.length
          ? `applied: ${result.applied.join(', ')} (${took()})`
          : `no pending migrations (${took()})`,
      );
      return 0;
    }
    const status = await migrationStatus({ target });
    console.log(JSON.stringify(status, null, 2));
    return status.upToDate ? 0 : 1;
  }

  if (command === 'diff') {
    const diff = await diffSchemaAgainstMigrations();
    if (!diff.differs) {
      console.log(`schema and migrations agree (${took()})`);
      return 0;
    }
    console.error(
      'The schema has changes that no migration holds. Create one with: pnpm --filter @loket/db db:migrate:dev <name>\n',
    );
    process.stdout.write(diff.sql);
    return 2;
  }

  if (command === 'dev') {
    const name = args[0];
    if (!name) throw new Error(`dev needs a migration name\n${USAGE}`);
    const target = cliTarget(env, null) ?? undefined;
    const result = await createMigration(name, { target });
    console.log(
      result.created
        ? `created ${result.file} (${took()})`
        : `already in sync, no migration created (${took()})`,
    );
    return 0;
  }

  console.error(USAGE);
  return 2;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
