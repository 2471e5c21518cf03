// `loket` from compiled JavaScript: builds apps/loket/dist when it is missing or older than its sources
// (so a fresh clone's `pnpm start` works), then runs it in this same process. Arguments are loket's:
// `node scripts/start.mjs start --role api`. `tsx src/main.ts …` still runs the sources directly.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, ENTRY, isStale, OUT_DIR } from './build.mjs';

const LOCK = path.join(OUT_DIR, '.build.lock');
const LOCK_WAIT_MS = 120_000;

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** One builder at a time: tests start several servers at once, and they share dist. */
function tryLock() {
  mkdirSync(OUT_DIR, { recursive: true });
  try {
    const fd = openSync(LOCK, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
  }
  const owner = Number.parseInt(readFileSync(LOCK, 'utf8'), 10);
  if (!Number.isInteger(owner) || !isRunning(owner)) rmSync(LOCK, { force: true }); // a builder that died
  return false;
}

async function ensureBuilt() {
  const giveUpAt = Date.now() + LOCK_WAIT_MS;
  while (isStale()) {
    if (tryLock()) {
      try {
        if (isStale()) await build();
      } finally {
        rmSync(LOCK, { force: true });
      }
      return;
    }
    if (Date.now() > giveUpAt) throw new Error(`another build of ${OUT_DIR} holds ${LOCK} for too long`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

try {
  await ensureBuilt();
} catch (error) {
  console.error(`loket: could not build ${ENTRY}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
await import(pathToFileURL(ENTRY).href);
