// Compiles `loket` to JavaScript in apps/loket/dist, so a start runs node on plain JS instead of tsx
// transpiling every TypeScript file of the workspace at each boot (most of the start-up time and memory).
// The workspace packages (TypeScript source behind their `exports` maps) are bundled; everything from
// node_modules stays external, resolved now and imported by relative path, because pnpm gives
// apps/loket/node_modules only its own direct dependencies. Plain JavaScript, like scripts/start.mjs,
// so that it runs before anything is built. `node scripts/build.mjs` builds; start.mjs builds when stale.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPO_ROOT = path.resolve(APP_DIR, '../..');
export const OUT_DIR = path.join(APP_DIR, 'dist');
export const ENTRY = path.join(OUT_DIR, 'main.js');
const STAMP = path.join(OUT_DIR, 'build-inputs.json');
/** Besides the bundled sources: a new install changes what the externals resolve to. */
const ALSO_WATCHED = [
  fileURLToPath(import.meta.url),
  path.join(REPO_ROOT, 'pnpm-lock.yaml'),
  path.join(REPO_ROOT, 'node_modules/.modules.yaml'),
];
/** Chunks a previous build left: kept a while, since a running process may still import them lazily. */
const ORPHAN_GRACE_MS = 60 * 60 * 1000;

const isBare = (specifier) => !/^(\.|\/|node:)/.test(specifier);

/** Keeps node_modules out of the bundle, each import rewritten to the file it resolves to now. */
const externalDependencies = {
  name: 'external-dependencies',
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (!isBare(args.path) || args.path.startsWith('@loket/') || args.pluginData?.resolving)
        return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: { resolving: true },
      });
      if (resolved.errors.length) return { errors: resolved.errors };
      if (resolved.external) return { path: args.path, external: true }; // a node builtin
      const relative = path.relative(OUT_DIR, resolved.path).split(path.sep).join('/');
      return { path: relative.startsWith('.') ? relative : `./${relative}`, external: true };
    });
  },
};

/**
 * Inside the bundle `import.meta.url` is the chunk's URL, not the source file's: files that find their
 * neighbours through it (migrations, the Prisma client, the schema engine) get their own URL back,
 * relative to dist so the checkout can move.
 */
const sourceFileUrls = {
  name: 'source-file-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const relative = path.relative(OUT_DIR, args.path).split(path.sep).join('/');
      const own = `new URL(${JSON.stringify(relative)}, import.meta.url).href`;
      return { contents: source.replaceAll('import.meta.url', own), loader: 'ts' };
    });
  },
};

/** Whether dist is missing, or older than any file it was built from. */
export function isStale() {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(STAMP, 'utf8'));
    statSync(ENTRY);
  } catch {
    return true;
  }
  if (stamp.appDir !== APP_DIR) return true;
  for (const file of [...stamp.inputs.map((input) => path.join(REPO_ROOT, input)), ...ALSO_WATCHED]) {
    try {
      if (statSync(file).mtimeMs > stamp.builtAt) return true;
    } catch {
      if (!ALSO_WATCHED.includes(file)) return true; // an input was removed
    }
  }
  return false;
}

/** Builds dist. Callers that may run side by side (parallel test starts) go through start.mjs's lock. */
export async function build() {
  const { build: esbuild, stop } = await import('esbuild');
  const builtAt = Date.now();
  const result = await esbuild({
    absWorkingDir: REPO_ROOT,
    entryPoints: { main: path.join(APP_DIR, 'src/main.ts') },
    outdir: OUT_DIR,
    bundle: true,
    splitting: true, // what is imported lazily (schema engine, channel SDK glue) loads only when used
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Only the standard conditions: a "module" build of a dependency is meant for bundlers, not node.
    conditions: [],
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [externalDependencies, sourceFileUrls],
    banner: { js: '// Built by apps/loket/scripts/build.mjs from the workspace sources; do not edit.' },
  });
  await stop(); // esbuild's service process would otherwise live as long as the Loket it built
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules'));
  const outputs = new Set(Object.keys(result.metafile.outputs).map((output) => path.join(REPO_ROOT, output)));
  removeOrphans(outputs);
  const stampTmp = `${STAMP}.${process.pid}`;
  writeFileSync(stampTmp, JSON.stringify({ builtAt, appDir: APP_DIR, inputs }));
  renameSync(stampTmp, STAMP); // last, and whole: the build counts only once everything is written
  return { inputs: inputs.length, ms: Date.now() - builtAt };
}

function removeOrphans(outputs) {
  mkdirSync(OUT_DIR, { recursive: true });
  for (const name of readdirSync(OUT_DIR)) {
    const file = path.join(OUT_DIR, name);
    if (outputs.has(file) || file === STAMP || name.includes('.lock')) continue;
    if (Date.now() - statSync(file).mtimeMs > ORPHAN_GRACE_MS) rmSync(file, { force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { inputs, ms } = await build();
  console.log(`built ${path.relative(process.cwd(), ENTRY)} from ${inputs} files in ${ms} ms`);
}
