// Prisma 7 reads this for `prisma generate`. Migrations do not use the CLI: see src/migrate.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
