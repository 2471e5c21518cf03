// The `loket` command: start | migrate | user add. Reads the environment once, here.
import { parseArgs } from 'node:util';
import { generateToken, hashToken } from '@loket/api';
import { USER_ROLES, type UserRole } from '@loket/core';
import { createRepositories, migrateDeploy, openMigratedDatabase } from '@loket/db';
import { EnvError, LOKET_ROLES, type LoketRole, readEnv } from './env.ts';
import { createLogger } from './logger.ts';
import { databaseTarget, startLoket } from './server.ts';
import { pairWhatsApp } from './whatsapp-pair.ts';

const USAGE = `Usage: loket <command>

  start [--role all|api|gateway]         run the API and the gateway in one process (migrates first);
                                         with PostgreSQL, api and gateway can run as separate processes
  migrate                                apply pending database migrations and exit
  user add --name N --email E --role R   add a staff member (officer | supervisor | admin); prints the token once
  whatsapp pair [--phone 62812...]       link the office's WhatsApp number: prints a QR (or a code with --phone)

Configuration comes from the environment: see the README.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const env = readEnv();
  const logger = createLogger({ level: env.LOG_LEVEL });

  if (command === 'start') {
    const { values } = parseArgs({ args: rest, options: { role: { type: 'string' } }, strict: true });
    const role = values.role ?? env.LOKET_ROLE;
    if (!isLoketRole(role)) {
      console.error(`--role must be one of ${LOKET_ROLES.join(', ')}`);
      return 2;
    }
    const running = await startLoket(env, logger, role);
    console.log(`Loket is serving on ${running.url}  (API reference: ${running.url}/docs)`);
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      await running.stop();
      process.exit(0);
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    return -1; // keep running
  }

  if (command === 'migrate') {
    const result = await migrateDeploy({ target: databaseTarget(env) });
    console.log(result.applied.length ? `applied: ${result.applied.join(', ')}` : 'no pending migrations');
    return 0;
  }

  if (command === 'user' && rest[0] === 'add') {
    const { values } = parseArgs({
      args: rest.slice(1),
      options: {
        name: { type: 'string' },
        email: { type: 'string' },
        role: { type: 'string', default: 'officer' },
      },
      strict: true,
    });
    const role = values.role as UserRole;
    if (!values.name || !values.email || !USER_ROLES.includes(role)) {
      console.error('loket user add needs --name, --email and --role officer|supervisor|admin');
      return 2;
    }
    const database = await openMigratedDatabase(databaseTarget(env));
    try {
      const token = generateToken();
      const user = await createRepositories(database).users.create({
        name: values.name,
        email: values.email.toLowerCase(),
        role,
        tokenHash: hashToken(token),
      });
      console.log(`Added ${user.role} ${user.name} <${user.email}> (id ${user.id}).`);
      console.log(`Token (shown once, keep it safe): ${token}`);
    } catch (error) {
      if ((error as { code?: string }).code !== 'P2002') throw error;
      console.error(`a user with the email ${values.email} exists already`);
      return 1;
    } finally {
      await database.close();
    }
    return 0;
  }

  if (command === 'whatsapp' && rest[0] === 'pair') {
    const { values } = parseArgs({
      args: rest.slice(1),
      options: { phone: { type: 'string' } },
      strict: true,
    });
    const phone = values.phone?.replace(/[\s()+-]/g, '');
    if (phone !== undefined && !/^\d{8,15}$/.test(phone)) {
      console.error('--phone takes the number in international form, digits only: 6281234567890');
      return 2;
    }
    return pairWhatsApp(env, logger, phone ? { phone } : {});
  }

  console.error(`unknown command: ${[command, ...rest].join(' ')}\n\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof EnvError) console.error(error.message);
    else console.error(`loket: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

function isLoketRole(value: string): value is LoketRole {
  return (LOKET_ROLES as readonly string[]).includes(value);
}
